"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { useForm, type DefaultValues, type FieldValues, type Path, type Resolver } from "react-hook-form";
import type { z } from "zod";
import type { ActionResult } from "@/lib/actions/safe-action";

/** `approval`: the user is protected; the dialog offers to request another admin's approval. */
export type DangerZoneStep = "form" | "confirm" | "step_up" | "approval" | "done";

/**
 * The state every Danger Zone dialog shares (react-hook-form + zod): the form values and their
 * per-field errors, the step (form → confirm → done), the pending call, the form-level error,
 * the action's result and one idempotency key per opening of the dialog (a double submission
 * reaches Auth0 once). Everything, the password included, leaves memory when the dialog closes.
 *
 * `submit` gets the values as typed (the server validates them again with the same schemas);
 * field errors the server returns for a field of the form land next to that field, with the
 * form step shown again.
 */
export function useDangerZoneForm<Values extends FieldValues, Result>({
  schema,
  defaultValues,
  submit,
}: {
  /** Checks the form step (its messages are codes the dialog translates); its input type is the form's values. */
  schema: z.ZodType<unknown, Values>;
  defaultValues: Values;
  submit: (values: Values, idempotencyKey: string) => Promise<ActionResult<Result>>;
}) {
  const router = useRouter();
  const form = useForm<Values>({
    // `raw`: the confirm step sends the values as typed; the server parses them itself.
    resolver: zodResolver(schema, undefined, { raw: true }) as Resolver<Values>,
    defaultValues: defaultValues as DefaultValues<Values>,
  });
  const [isOpen, setOpen] = useState(false);
  const [step, setStep] = useState<DangerZoneStep>("form");
  const [idempotencyKey, setIdempotencyKey] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [isPending, startTransition] = useTransition();

  function onOpenChange(open: boolean) {
    // After a change, show the profile's new state (last reset, history) once the dialog closes;
    // doing it here rather than in the action keeps the re-render out of the action's response.
    if (!open && step === "done") router.refresh();
    form.reset(defaultValues);
    setStep("form");
    setError(null);
    setResult(null);
    setIdempotencyKey(open ? crypto.randomUUID() : "");
    setOpen(open);
  }

  /** The form step's submit: validate, then show the confirm step. */
  const onContinue = form.handleSubmit(() => {
    setError(null);
    setStep("confirm");
  });

  /** The confirm step's button: call the action once with this opening's key. */
  function onConfirm() {
    setError(null);
    const values = form.getValues();
    startTransition(async () => {
      const outcome = await submit(values, idempotencyKey);
      if (outcome.ok) {
        // Done: the inputs (a password among them) are no longer needed in the browser.
        form.reset(defaultValues);
        setResult(outcome.data);
        setStep("done");
        return;
      }
      if (outcome.code === "step_up_required") {
        // Ask who it is in place; the form keeps its values and the call is retried afterwards.
        setStep("step_up");
        return;
      }
      if (outcome.code === "approval_required") {
        // Nothing happened at Auth0. The form keeps its values; the password is not sent anywhere.
        setError(outcome.error);
        setStep("approval");
        return;
      }
      const fieldErrors = Object.entries(outcome.fieldErrors ?? {}).filter(([field]) => field in defaultValues);
      if (fieldErrors.length > 0) {
        for (const [field, messages] of fieldErrors) {
          form.setError(field as Path<Values>, { type: "server", message: messages[0] ?? outcome.error });
        }
        setStep("form");
        return;
      }
      setError(outcome.error);
    });
  }

  return {
    form,
    isOpen,
    onOpenChange,
    step,
    backToForm: () => setStep("form"),
    /** For ActionDialog: after a step-up the same call is made again with the same key. */
    stepUp: { onConfirmed: onConfirm, onCancel: () => setStep("confirm") },
    onContinue,
    onConfirm,
    isPending,
    error,
    result,
  };
}
