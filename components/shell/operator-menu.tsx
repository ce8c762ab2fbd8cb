"use client";

import { useTranslations } from "next-intl";
import Link from "next/link";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { Badge } from "@/components/ui/badge";
import type { Role } from "@/lib/auth/permissions";
import { signOutTo } from "@/lib/client/sign-out";

/**
 * The account menu in the header of every page. A small menu of its own (menu button pattern:
 * Enter, Space or ↓ opens it on its first item, Escape closes it back onto the button, a click
 * outside or Tab away closes it) instead of Radix's DropdownMenu: that one brought about 33 kB
 * gzip (popper, focus scope, dismissable layer) into every page's first-load JS for one item.
 */
export function OperatorMenu({ name, email, role }: { name: string; email: string; role: Role }) {
  const t = useTranslations("shell");
  const ta = useTranslations("auth");
  const tsec = useTranslations("security");
  const [isOpen, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const firstItem = useRef<HTMLAnchorElement>(null);

  useEffect(() => {
    if (!isOpen) return;
    firstItem.current?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [isOpen]);

  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) trigger.current?.focus();
  };
  const onTriggerKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setOpen(true);
    }
  };
  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (event.key === "Tab") {
      close(false);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp" || event.key === "Home" || event.key === "End") {
      event.preventDefault();
      const items = Array.from(root.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
      const at = items.indexOf(document.activeElement as HTMLElement);
      const next =
        event.key === "Home" ? 0
        : event.key === "End" ? items.length - 1
        : event.key === "ArrowDown" ? (at + 1) % items.length
        : (at - 1 + items.length) % items.length;
      items[next]?.focus();
    }
  };

  return (
    <div ref={root} className="relative">
      <button
        ref={trigger}
        type="button"
        aria-haspopup="menu"
        aria-expanded={isOpen}
        aria-controls={isOpen ? menuId : undefined}
        onClick={() => setOpen((open) => !open)}
        onKeyDown={onTriggerKeyDown}
        className="flex items-center gap-2 rounded-md px-2 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:hover:bg-slate-800"
      >
        <span className="sr-only">{t("operatorMenuPrefix")}</span>
        <span className="font-medium">{name}</span>
        <Badge tone={role === "ADMIN" ? "violet" : role === "SUPPORT" ? "blue" : "green"}>{t(`roles.${role}`)}</Badge>
      </button>
      {isOpen ? (
        <div
          id={menuId}
          role="menu"
          aria-label={email}
          onKeyDown={onMenuKeyDown}
          className="absolute right-0 z-50 mt-1.5 min-w-52 rounded-md border border-slate-200 bg-white p-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <div className="px-2 py-1.5 text-xs text-slate-600 dark:text-slate-300">{email}</div>
          <div role="separator" className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
          <Link
            ref={firstItem}
            href="/security"
            role="menuitem"
            onClick={() => setOpen(false)}
            className="flex w-full cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-left text-slate-800 outline-none select-none hover:bg-slate-100 focus:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800 dark:focus:bg-slate-800"
          >
            {tsec("menuItem")}
          </Link>
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setOpen(false);
              void signOutTo("/sign-in");
            }}
            className="flex w-full cursor-pointer items-center gap-2 rounded px-2 py-1.5 text-left text-slate-800 outline-none select-none hover:bg-slate-100 focus:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800 dark:focus:bg-slate-800"
          >
            {ta("signOut")}
          </button>
        </div>
      ) : null}
    </div>
  );
}
