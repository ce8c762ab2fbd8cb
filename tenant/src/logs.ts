import type { IncomingMessage } from "node:http";
import type { TenantContext } from "./context.ts";
import type { LogEvent } from "./types.ts";

let sequence = 0;

/** 56-digit ids in Auth0's style, increasing so they sort by time. */
function nextLogId(now: number): string {
  sequence = (sequence + 1) % 1_000_000;
  return `900${String(now).padStart(16, "0")}${String(sequence).padStart(6, "0")}${"0".repeat(31)}`;
}

export const LOG_DESCRIPTIONS: Record<string, string> = {
  sapi: "API Operation",
  scp: "Successful change password",
  fcp: "Failed change password",
  scpr: "Successful change password request",
  fcpr: "Failed change password request",
  s: "Successful login",
  fp: "Incorrect password",
  fu: "Invalid email or username",
  f: "Failed Login",
  limit_wc: "Blocked Account",
  svr: "Successful Verification Email Request",
  sv: "Success Verification Email",
  sertft: "Successful Refresh Token exchange",
  fertft: "Failed Refresh Token exchange",
  seccft: "Successful exchange of client credentials for an access token",
  seacft: "Successful exchange of authorization code for access token",
  feacft: "Failed exchange of authorization code for access token",
};

export function writeLog(
  context: TenantContext,
  event: Omit<LogEvent, "log_id" | "date" | "description"> & { description?: string },
): LogEvent {
  const now = Date.now();
  const clientName =
    event.client_id === undefined ? undefined : context.store.clients.get(event.client_id)?.name;
  const log: LogEvent = {
    ...event,
    log_id: nextLogId(now),
    date: new Date(now).toISOString(),
    description: event.description ?? LOG_DESCRIPTIONS[event.type] ?? event.type,
    ...(clientName === undefined ? {} : { client_name: clientName }),
  };
  context.store.addLog(log);
  return log;
}

/** Removes secrets from a request body before it goes into a log's details. */
export function redactBody(body: Record<string, unknown>): Record<string, unknown> {
  const redacted: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    redacted[key] = /password|secret/i.test(key) ? "*****" : value;
  }
  return redacted;
}

/** `user_agent` of a log event, when the request carried one. */
export function userAgentOf(req: IncomingMessage): { user_agent?: string } {
  const agent = req.headers["user-agent"];
  return typeof agent === "string" && agent !== "" ? { user_agent: agent } : {};
}
