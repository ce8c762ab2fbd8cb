"use client";

import { useTranslations } from "next-intl";
import { lazyDialog, type LazyTriggerLook } from "@/components/ui/lazy-dialog";
import type { DangerZoneTarget } from "./types";

/**
 * The Danger Zone's dialogs load when an operator is about to use one, not with the profile:
 * their forms bring zod, react-hook-form, the policy checks and the generator (about 70 kB gzip
 * of first-load JS). See components/ui/lazy-dialog.tsx.
 */
type DialogProps = { target: DangerZoneTarget };

function dangerLook(labelKey: "change.button" | "email.button" | "ticket.button") {
  return function useDangerLook(): LazyTriggerLook {
    const t = useTranslations("dangerZone");
    return { label: t(labelKey), variant: "danger" };
  };
}

export const LazyChangePasswordDialog = lazyDialog<DialogProps>(
  () => import("./change-password-dialog").then((module) => module.ChangePasswordDialog),
  dangerLook("change.button"),
);
export const LazyResetEmailDialog = lazyDialog<DialogProps>(
  () => import("./reset-email-dialog").then((module) => module.ResetEmailDialog),
  dangerLook("email.button"),
);
export const LazyResetLinkDialog = lazyDialog<DialogProps>(
  () => import("./reset-link-dialog").then((module) => module.ResetLinkDialog),
  dangerLook("ticket.button"),
);
