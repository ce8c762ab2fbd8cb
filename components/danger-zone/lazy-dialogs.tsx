"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, useState, type ComponentType } from "react";
import { Button } from "@/components/ui/button";
import type { DangerZoneTarget } from "./types";

/**
 * The Danger Zone's dialogs load when an operator is about to use one, not with the profile:
 * their forms bring zod, react-hook-form, the policy checks and the generator (about 70 kB gzip
 * of first-load JS). Until then each row shows the same trigger button; hovering or focusing it
 * starts the download, and a click opens the real dialog as soon as it is there (its own trigger
 * is clicked once, so focus handling and closing stay the dialog's own).
 */
type DialogProps = { target: DangerZoneTarget };
type Loader = () => Promise<ComponentType<DialogProps>>;

function lazyDialog(load: Loader, labelKey: "change.button" | "email.button" | "ticket.button") {
  let loaded: Promise<ComponentType<DialogProps>> | undefined;
  const preload = () => {
    loaded ??= load();
    // A failed download (offline, new deploy) may be tried again on the next hover or click.
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };

  return function LazyDialog({ target }: DialogProps) {
    const t = useTranslations("dangerZone");
    const [Dialog, setDialog] = useState<ComponentType<DialogProps> | null>(null);
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
          <Dialog target={target} />
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
        variant="danger"
        size="sm"
        aria-busy={isOpening || undefined}
        onPointerEnter={() => void preload().catch(() => undefined)}
        onFocus={() => void preload().catch(() => undefined)}
        onClick={open}
      >
        {t(labelKey)}
      </Button>
    );
  };
}

export const LazyChangePasswordDialog = lazyDialog(
  () => import("./change-password-dialog").then((module) => module.ChangePasswordDialog),
  "change.button",
);
export const LazyResetEmailDialog = lazyDialog(
  () => import("./reset-email-dialog").then((module) => module.ResetEmailDialog),
  "email.button",
);
export const LazyResetLinkDialog = lazyDialog(
  () => import("./reset-link-dialog").then((module) => module.ResetLinkDialog),
  "ticket.button",
);
