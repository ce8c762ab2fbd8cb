"use server";

import { createResetTicket } from "@/lib/danger-zone/create-reset-ticket";
import { getDangerZoneDeps } from "@/lib/danger-zone/deps";
import { sendResetEmail } from "@/lib/danger-zone/send-reset-email";
import { setPassword } from "@/lib/danger-zone/set-password";
import { createTicketSchema, sendResetEmailSchema, setPasswordSchema } from "@/lib/validations/danger-zone";
import { action, defineActions } from "./safe-action";
import { toActionFailure } from "./to-action-failure";

/** Sets a database user's password (PATCH /users/{id}). The password never leaves this request. */
export const { setPasswordAction } = defineActions({ setPasswordAction: action(
  "password:set",
  setPasswordSchema,
  async (input, { operator, meta }) => {
    const result = await setPassword(await getDangerZoneDeps(), input, { operator, meta });
    if (!result.ok) return toActionFailure(result.failure);
    const { signOut, ...data } = result.data;
    // The password is set either way; the sign-out's own result (counts, or why not) goes along.
    return {
      ok: true,
      data: {
        ...data,
        signOut:
          signOut === undefined
            ? null
            : signOut.ok
              ? { ok: true as const, sessionsEnded: signOut.data.sessionsEnded, refreshTokensRevoked: signOut.data.refreshTokensRevoked }
              : { ok: false as const, error: (await toActionFailure(signOut.failure)).error },
      },
    };
  },
) });

/** Sends Auth0's reset email to the user's address in their database connection. */
export const { sendResetEmailAction } = defineActions({ sendResetEmailAction: action(
  "password:reset-email",
  sendResetEmailSchema,
  async (input, { operator, meta }) => {
    const result = await sendResetEmail(await getDangerZoneDeps(), input, { operator, meta });
    if (!result.ok) return toActionFailure(result.failure);
    return { ok: true, data: result.data };
  },
) });

/** Creates a single-use reset link; it is returned once and never stored or logged. */
export const { createResetTicketAction } = defineActions({ createResetTicketAction: action(
  "password:ticket",
  createTicketSchema,
  async (input, { operator, meta }) => {
    const result = await createResetTicket(await getDangerZoneDeps(), input, { operator, meta });
    if (!result.ok) return toActionFailure(result.failure);
    return { ok: true, data: result.data };
  },
) });
