"use client";

import { useEffect, useRef, useState, type ComponentType } from "react";
import { Button } from "@/components/ui/button";

/** What the placeholder trigger looks like: the same label and variant as the dialog's own. */
export type LazyTriggerLook = { label: string; variant: "danger" | "secondary" };

/**
 * A dialog that loads when an operator is about to use it, not with the page: dialog forms
 * bring zod, react-hook-form and more (tens of kB of first-load JS). Until then the page shows
 * the same trigger button; hovering or focusing it starts the download, and a click opens the
 * real dialog as soon as it is there (its own trigger is clicked once, so focus handling and
 * closing stay the dialog's own).
 *
 * `useTriggerLook` is called as a hook inside the placeholder (it may use translations).
 */
export function lazyDialog<Props extends object>(
  load: () => Promise<ComponentType<Props>>,
  useTriggerLook: (props: Props) => LazyTriggerLook,
): ComponentType<Props> {
  let loaded: Promise<ComponentType<Props>> | undefined;
  const preload = () => {
    loaded ??= load();
    // A failed download (offline, new deploy) may be tried again on the next hover or click.
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };

  return function LazyDialog(props: Props) {
    const look = useTriggerLook(props);
    const [Dialog, setDialog] = useState<ComponentType<Props> | null>(null);
    const [isOpening, setOpening] = useState(false);
    const wrapper = useRef<HTMLDivElement>(null);
    // A ref, not state: the click is passed on exactly once, even when effects run twice (dev).
    const shouldOpen = useRef(false);

    useEffect(() => {
      if (!Dialog || !shouldOpen.current) return;
      shouldOpen.current = false;
      wrapper.current?.querySelector("button")?.click();
    }, [Dialog]);

    if (Dialog) {
      return (
        <div ref={wrapper} className="contents">
          <Dialog {...props} />
        </div>
      );
    }
    const open = () => {
      shouldOpen.current = true;
      setOpening(true);
      preload().then(
        (component) => setDialog(() => component),
        () => {
          shouldOpen.current = false;
          setOpening(false);
        },
      );
    };
    return (
      <Button
        type="button"
        variant={look.variant}
        size="sm"
        aria-busy={isOpening || undefined}
        onPointerEnter={() => void preload().catch(() => undefined)}
        onFocus={() => void preload().catch(() => undefined)}
        onClick={open}
      >
        {look.label}
      </Button>
    );
  };
}
