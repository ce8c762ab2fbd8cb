"use client";

import { useTranslations } from "next-intl";
import { useEffect, useRef, type ReactNode } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { StepUpPanel } from "@/components/security/step-up-panel";
import { cn } from "@/lib/utils";
import { REASON_MAX_LENGTH } from "@/lib/validations/danger-zone";

/** The required reason (ticket reference or free text) every Danger Zone action asks for. */
export function ReasonField({
  id,
  registration,
  error,
}: {
  id: string;
  /** react-hook-form's `register("reason")`. */
  registration: UseFormRegisterReturn;
  /** A code from reasonSchema (client or server), if the reason was refused. */
  error: string | undefined;
}) {
  const t = useTranslations("dangerZone.reason");
  const message = error === undefined ? undefined : t(reasonMessageKey(error));
  return (
    <div className="space-y-1">
      <Label htmlFor={id}>{t("label")}</Label>
      <textarea
        id={id}
        required
        rows={2}
        maxLength={REASON_MAX_LENGTH}
        {...registration}
        aria-invalid={message ? true : undefined}
        aria-describedby={`${id}-hint${message ? ` ${id}-error` : ""}`}
        className={cn(
          "w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm text-slate-900",
          "focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600",
          "aria-[invalid=true]:border-red-600 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100",
        )}
      />
      <p id={`${id}-hint`} className="text-xs text-slate-600 dark:text-slate-400">
        {t("hint")}
      </p>
      <FieldError id={`${id}-error`} message={message} />
    </div>
  );
}

/** The catalog key for a reason code of reasonSchema (lib/validations/danger-zone.ts). */
function reasonMessageKey(code: string): "tooShort" | "tooLong" | "controlCharacters" {
  if (code === "reason_control_characters") return "controlCharacters";
  if (code === "reason_too_long") return "tooLong";
  return "tooShort";
}

export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm text-red-700 dark:text-red-400">
      {message}
    </p>
  );
}

/** Form-level message, announced to screen readers. */
export function FormAlert({ message }: { message: string | null }) {
  return (
    <div
      role="alert"
      aria-live="assertive"
      className={cn(
        "text-sm text-red-700 dark:text-red-400",
        message ? "rounded-md border border-red-300 bg-red-50 p-3 dark:border-red-800 dark:bg-red-950" : "",
      )}
    >
      {message}
    </div>
  );
}

/**
 * The frame every Danger Zone action shares: a red trigger button, the dialog, and focus moved
 * into each new step (see useStepFocus).
 */
export function ActionDialog({
  isOpen,
  onOpenChange,
  step,
  triggerLabel,
  triggerVariant = "danger",
  title,
  description,
  children,
  stepUp,
}: {
  isOpen: boolean;
  onOpenChange: (open: boolean) => void;
  step: string;
  triggerLabel: string;
  /** The Account section's milder actions use a secondary trigger. */
  triggerVariant?: "danger" | "secondary";
  title: string;
  description: string | undefined;
  children: ReactNode;
  /** Shown instead of the steps while the server asks for a fresh authentication (step "step_up"). */
  stepUp?: { onConfirmed: () => void; onCancel: () => void };
}) {
  const stepRef = useStepFocus(step);
  return (
    <Dialog open={isOpen} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button variant={triggerVariant} size="sm">
          {triggerLabel}
        </Button>
      </DialogTrigger>
      <DialogContent title={title} description={description}>
        <div ref={stepRef}>{step === "step_up" && stepUp ? <StepUpPanel onConfirmed={stepUp.onConfirmed} onCancel={stepUp.onCancel} /> : children}</div>
      </DialogContent>
    </Dialog>
  );
}

/** The form step's buttons: cancel (closes the dialog) or continue to the confirm step. */
export function FormActions() {
  const t = useTranslations("dangerZone");
  return (
    <DialogFooter>
      <DialogClose asChild>
        <Button type="button" variant="secondary">
          {t("cancel")}
        </Button>
      </DialogClose>
      <Button type="submit">{t("continue")}</Button>
    </DialogFooter>
  );
}

/** The done step's one button, focused so the outcome is read first and Enter closes. */
export function CloseAction() {
  const t = useTranslations("dangerZone");
  return (
    <DialogFooter>
      <DialogClose asChild>
        <Button type="button" data-autofocus>
          {t("close")}
        </Button>
      </DialogClose>
    </DialogFooter>
  );
}

/**
 * The confirm step's buttons: back to the form, or go ahead (danger, focused so Enter confirms
 * only after the operator has read what will happen).
 */
export function ConfirmActions({
  onBack,
  onConfirm,
  isPending,
  confirmLabel,
  pendingLabel,
}: {
  onBack: () => void;
  onConfirm: () => void;
  isPending: boolean;
  confirmLabel: string;
  pendingLabel: string;
}) {
  const t = useTranslations("dangerZone");
  return (
    <DialogFooter>
      <Button type="button" variant="secondary" onClick={onBack} disabled={isPending}>
        {t("back")}
      </Button>
      <Button type="button" variant="danger" onClick={onConfirm} disabled={isPending} data-autofocus>
        {isPending ? pendingLabel : confirmLabel}
      </Button>
    </DialogFooter>
  );
}

/**
 * Moves focus into each new step of a dialog (to its `data-autofocus` element): when a step
 * replaces the focused control, keyboard and screen-reader users land on the next action.
 */
export function useStepFocus(step: string) {
  const ref = useRef<HTMLDivElement>(null);
  const previous = useRef(step);
  useEffect(() => {
    if (previous.current === step) return;
    previous.current = step;
    ref.current?.querySelector<HTMLElement>("[data-autofocus]")?.focus();
  }, [step]);
  return ref;
}
