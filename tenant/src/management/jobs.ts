import { randomBytes } from "node:crypto";
import { clientIdOf } from "../auth/bearer.ts";
import { DEMO_RESET_CLIENT_ID } from "../demo-credentials.ts";
import { ApiError, escapeHtml, readBody, sendHtml, sendJson } from "../http.ts";
import { writeLog } from "../logs.ts";
import { payloadTypeError, rejectUnknownProperties } from "../query.ts";
import type { RouteRequest } from "../router-types.ts";
import type { VerificationJob } from "../store.ts";
import { getUserOr404, nowIso } from "../user-service.ts";
import { apiLog } from "./api-log.ts";

/** Lifetime of the link in a verification email (Auth0's default URL lifetime, 5 days). */
const VERIFICATION_LINK_LIFETIME_MS = 432_000_000;

/**
 * POST /api/v2/jobs/verification-email → 201 `{type, status:"pending", created_at, id}`.
 * The email goes to the outbox at once and the job is "completed" when read back; an `svr` log
 * records the request. Body: `user_id` (required), `client_id`, `identity`, `organization_id`.
 */
export async function createVerificationEmailJob(request: RouteRequest): Promise<void> {
  const { context, res } = request;
  const body = await readBody(request.req);
  rejectUnknownProperties(body, ["user_id", "client_id", "identity", "organization_id"]);
  const userId = body["user_id"];
  if (userId === undefined)
    throw new ApiError(
      400,
      "Payload validation error: 'Missing required property: user_id'.",
      "invalid_body",
    );
  if (typeof userId !== "string") throw payloadTypeError("user_id", "string", userId);
  for (const key of ["client_id", "organization_id"]) {
    if (body[key] !== undefined && typeof body[key] !== "string")
      throw payloadTypeError(key, "string", body[key]);
  }
  const user = getUserOr404(context, userId);
  if (!user.email) throw new ApiError(400, "The user does not have an email address.", "invalid_body");
  const applicationId = typeof body["client_id"] === "string" ? body["client_id"] : DEMO_RESET_CLIENT_ID;
  const application = context.store.clients.get(applicationId);
  if (!application) throw new ApiError(404, "The client does not exist", "inexistent_client");

  const token = randomBytes(24).toString("base64url");
  context.store.verificationLinks.set(token, {
    userId: user.user_id,
    expiresAt: Date.now() + VERIFICATION_LINK_LIFETIME_MS,
  });
  const link = `https://${context.domain}/u/email-verification?ticket=${token}`;
  const text = [
    `Hello ${user.name},`,
    "",
    `Please verify the email address of your ${application.name} account (${user.email}):`,
    "",
    link,
    "",
    `— ${application.name}`,
  ].join("\n");
  context.store.addOutbox({
    id: `msg_${randomBytes(12).toString("hex")}`,
    to: user.email,
    subject: `Verify your email for ${application.name}`,
    text,
    html: `<!doctype html><html><body style="font-family:sans-serif"><p>Hello ${escapeHtml(user.name)},</p>
<p>Please verify the email address of your ${escapeHtml(application.name)} account (${escapeHtml(user.email)}).</p>
<p><a href="${escapeHtml(link)}">Verify your email</a></p><p>— ${escapeHtml(application.name)}</p></body></html>`,
    verificationLink: link,
    sentAt: nowIso(),
  });
  context.stats.emailsSent += 1;

  const job: VerificationJob = {
    id: `job_${randomBytes(12).toString("base64url").replace(/[-_]/g, "x").slice(0, 16)}`,
    type: "verification_email",
    status: "pending",
    created_at: nowIso(),
    user_id: user.user_id,
  };
  context.store.jobs.set(job.id, { ...job, status: "completed" });
  context.store.changed();
  const connection = context.store.connectionByName(user.identities[0]?.connection ?? "");
  const caller = request.claims ? clientIdOf(request.claims) : undefined;
  writeLog(context, {
    type: "svr",
    ip: request.ip,
    user_id: user.user_id,
    user_name: user.email,
    client_id: applicationId,
    ...(connection ? { connection: connection.name, connection_id: connection.id } : {}),
    details: { email_type: "verify_email", ...(caller === undefined ? {} : { requested_by: caller }) },
  });
  apiLog(request, "Send a verification email", body, 201);
  sendJson(res, 201, { type: job.type, status: job.status, created_at: job.created_at, id: job.id });
}

/** GET /api/v2/jobs/{id} */
export async function getJob({ context, res, params }: RouteRequest): Promise<void> {
  const job = context.store.jobs.get(params[0] ?? "");
  if (!job) throw new ApiError(404, "The job does not exist.", "inexistent_job");
  sendJson(res, 200, { type: job.type, status: job.status, created_at: job.created_at, id: job.id });
}

/** GET /u/email-verification?ticket= — the link of a verification email: marks the email verified, logs `sv`. */
export async function emailVerificationPage({ context, res, url, ip }: RouteRequest): Promise<void> {
  const token = url.searchParams.get("ticket") ?? "";
  const link = context.store.verificationLinks.get(token);
  const user = link ? context.store.users.get(link.userId) : undefined;
  if (!link || !user || Date.now() >= link.expiresAt) {
    sendHtml(
      res,
      410,
      "<!doctype html><title>Link expired</title><p>This verification link is invalid or has expired.</p>",
    );
    return;
  }
  context.store.verificationLinks.delete(token);
  context.store.putUser({ ...user, email_verified: true, updated_at: nowIso() });
  writeLog(context, {
    type: "sv",
    ip,
    user_id: user.user_id,
    ...(user.email === undefined ? {} : { user_name: user.email }),
  });
  sendHtml(
    res,
    200,
    "<!doctype html><title>Email verified</title><p>Your email address was verified. You can close this page.</p>",
  );
}
