"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import QRCode from "qrcode";
import { getCurrentSessionId, isCurrentSessionFresh } from "@/lib/auth/mfa/gate";
import { passkeyAuthenticationOptions, passkeyRegistrationOptions } from "@/lib/auth/mfa/passkeys";
import { relyingPartyFrom } from "@/lib/auth/mfa/relying-party";
import {
  addOwnPasskey,
  confirmIdentity,
  endOwnSessions,
  finishTotpEnrolment,
  regenerateOwnRecoveryCodes,
  removeOwnPasskey,
  removeOwnTotp,
  startTotpEnrolment,
} from "@/lib/auth/mfa/self-service";
import { getPrisma } from "@/lib/db";
import {
  addPasskeySchema,
  confirmTotpSchema,
  confirmSchema,
  endSessionsSchema,
  passkeyIdSchema,
  stepUpSchema,
} from "@/lib/validations/security";
import { action, actionFailure, defineActions, type ActionContext, type ActionFailure } from "./safe-action";

/** The current session, or the failure to return when it cannot be named. */
async function sessionContext(context: ActionContext) {
  const sessionId = await getCurrentSessionId();
  return sessionId ? { ...context, sessionId } : null;
}

async function unauthenticated(): Promise<ActionFailure> {
  return actionFailure("unauthenticated", (await getTranslations("errors"))("unauthenticated"));
}

/** Removing a factor or replacing recovery codes needs a fresh authentication, like the Danger Zone. */
async function staleFailure(context: ActionContext): Promise<ActionFailure | null> {
  if (await isCurrentSessionFresh(context.operator)) return null;
  return actionFailure("step_up_required", (await getTranslations("errors"))("stepUpRequired"));
}

/** Step-up: confirm identity (password + second factor, or a passkey); the session is fresh for STEP_UP_MINUTES. */
export const { stepUpAction } = defineActions({ stepUpAction: action("self:security", stepUpSchema, async (input, context) => {
  const t = await getTranslations("security.stepUp");
  const session = await sessionContext(context);
  if (!session) return unauthenticated();
  const result = await confirmIdentity(
    session,
    "passkey" in input
      ? { kind: "passkey", challengeId: input.challengeId, response: input.passkey, rp: relyingPartyFrom(await headers()) }
      : { kind: "password", password: input.password, code: input.code, recoveryCode: input.recoveryCode },
  );
  if (result.ok) return { ok: true, data: { method: result.method } };
  if (result.reason === "second_factor_required") return actionFailure("invalid", t("needCode"), { code: [t("needCode")] });
  if (result.reason === "throttled") return actionFailure("rate_limited", t("throttled"));
  return actionFailure("invalid", result.reason === "replayed" ? t("replayed") : t("invalid"));
}) });

/** Options for a passkey step-up (the operator's own passkeys only). */
export const { stepUpPasskeyOptionsAction } = defineActions({ stepUpPasskeyOptionsAction: action("self:security", confirmSchema, async (_input, { operator }) => {
  const rp = relyingPartyFrom(await headers());
  const { challengeId, options } = await passkeyAuthenticationOptions(await getPrisma(), { purpose: "step_up", operatorId: operator.id, rp, now: new Date() });
  return { ok: true, data: { challengeId, options } };
}) });

/** A new authenticator-app secret, with its QR code (the secret is also shown for typing in). */
export const { beginTotpEnrolmentAction } = defineActions({ beginTotpEnrolmentAction: action("self:security", confirmSchema, async (_input, context) => {
  const t = await getTranslations("security.totp");
  const session = await sessionContext(context);
  if (!session) return unauthenticated();
  const result = await startTotpEnrolment(session);
  if (!result.ok) return actionFailure("conflict", t("alreadyEnrolled"));
  const qrCode = await QRCode.toDataURL(result.uri, { margin: 1, width: 220 });
  return { ok: true, data: { secret: result.secret, uri: result.uri, qrCode } };
}) });

export const { confirmTotpEnrolmentAction } = defineActions({ confirmTotpEnrolmentAction: action("self:security", confirmTotpSchema, async (input, context) => {
  const t = await getTranslations("security.totp");
  const session = await sessionContext(context);
  if (!session) return unauthenticated();
  const result = await finishTotpEnrolment(session, input.code);
  if (!result.ok) return actionFailure("invalid", t(result.reason === "replayed" ? "replayed" : "wrongCode"), { code: [t("wrongCode")] });
  revalidatePath("/security");
  return { ok: true, data: { recoveryCodes: result.recoveryCodes } };
}) });

export const { removeTotpAction } = defineActions({ removeTotpAction: action("self:security", confirmSchema, async (_input, context) => {
  const stale = await staleFailure(context);
  if (stale) return stale;
  const session = await sessionContext(context);
  if (!session) return unauthenticated();
  const result = await removeOwnTotp(session);
  revalidatePath("/security");
  return { ok: true, data: result };
}) });

export const { regenerateRecoveryCodesAction } = defineActions({ regenerateRecoveryCodesAction: action("self:security", confirmSchema, async (_input, context) => {
  const t = await getTranslations("security.recovery");
  const stale = await staleFailure(context);
  if (stale) return stale;
  const session = await sessionContext(context);
  if (!session) return unauthenticated();
  const codes = await regenerateOwnRecoveryCodes(session);
  if (!codes) return actionFailure("conflict", t("notEnrolled"));
  revalidatePath("/security");
  return { ok: true, data: { recoveryCodes: codes } };
}) });

export const { passkeyRegistrationOptionsAction } = defineActions({ passkeyRegistrationOptionsAction: action("self:security", confirmSchema, async (_input, { operator }) => {
  const rp = relyingPartyFrom(await headers());
  const { challengeId, options } = await passkeyRegistrationOptions(await getPrisma(), { operator, rp, now: new Date() });
  return { ok: true, data: { challengeId, options } };
}) });

export const { addPasskeyAction } = defineActions({ addPasskeyAction: action("self:security", addPasskeySchema, async (input, context) => {
  const t = await getTranslations("security.passkeys");
  const session = await sessionContext(context);
  if (!session) return unauthenticated();
  const result = await addOwnPasskey(session, {
    challengeId: input.challengeId,
    response: input.registration,
    name: input.name,
    rp: relyingPartyFrom(await headers()),
  });
  if (!result.ok) return actionFailure("invalid", t("failed"));
  revalidatePath("/security");
  return { ok: true, data: { recoveryCodes: result.recoveryCodes } };
}) });

export const { removePasskeyAction } = defineActions({ removePasskeyAction: action("self:security", passkeyIdSchema, async (input, context) => {
  const stale = await staleFailure(context);
  if (stale) return stale;
  const session = await sessionContext(context);
  if (!session) return unauthenticated();
  const result = await removeOwnPasskey(session, input.passkeyId);
  revalidatePath("/security");
  return { ok: true, data: result };
}) });

/** Ends one of the operator's other sessions (`handle`) or all of them. */
export const { endSessionsAction } = defineActions({ endSessionsAction: action("self:security", endSessionsSchema, async (input, context) => {
  const session = await sessionContext(context);
  if (!session) return unauthenticated();
  const sessionsEnded = await endOwnSessions(session, { handle: "handle" in input ? input.handle : undefined });
  revalidatePath("/security");
  return { ok: true, data: { sessionsEnded } };
}) });

/** Whether the session is fresh enough for step-up permissions (the audit export link asks first). */
export const { stepUpStatusAction } = defineActions({ stepUpStatusAction: action("self:security", confirmSchema, async (_input, { operator }) => {
  return { ok: true, data: { isFresh: await isCurrentSessionFresh(operator) } };
}) });
