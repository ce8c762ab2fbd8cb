"use client";

import { useTranslations } from "next-intl";
import { lazyDialog, type LazyTriggerLook } from "@/components/ui/lazy-dialog";
import type { AccountActionKind } from "./account-action-dialog";

/**
 * The Account section's and the diagnosis's dialogs, loaded on first use (hover, focus or
 * click) like the Danger Zone's: their forms bring zod and react-hook-form, which the profile
 * page does not need until then. Same trigger label and variant as the real dialogs.
 */
type AccountDialogProps = { kind: AccountActionKind; userId: string; userName: string; email?: string | null };

function useAccountLook({ kind }: AccountDialogProps): LazyTriggerLook {
  const t = useTranslations("account");
  return { label: t(`${kind}.button`), variant: kind === "block" || kind === "signOut" ? "danger" : "secondary" };
}

function useResetMfaLook(): LazyTriggerLook {
  const t = useTranslations("account.mfa");
  return { label: t("button"), variant: "secondary" };
}

export const LazyAccountActionDialog = lazyDialog<AccountDialogProps>(
  () => import("./account-action-dialog").then((module) => module.AccountActionDialog),
  useAccountLook,
);

export const LazyResetMfaDialog = lazyDialog<{ userId: string; userName: string }>(
  () => import("./reset-mfa-dialog").then((module) => module.ResetMfaDialog),
  useResetMfaLook,
);
