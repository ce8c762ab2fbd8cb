import { randomUUID } from "node:crypto";
import type { TenantContext } from "./context.ts";
import { escapeHtml, sendHtml, sendJson } from "./http.ts";
import type { RouteRequest } from "./router-types.ts";
import type { OutboxMessage, User } from "./types.ts";

/** "Sends" the reset email of the application's template: it lands in the outbox. */
export function sendResetEmail(
  context: TenantContext,
  user: User,
  applicationName: string,
  resetLink: string,
  lifetimeSec: number,
): OutboxMessage {
  const to = user.email ?? "";
  const hours = Math.round(lifetimeSec / 3600);
  const lifetime = hours >= 48 ? `${Math.round(hours / 24)} days` : `${Math.max(1, hours)} hours`;
  const text = [
    `Hello ${user.name},`,
    "",
    `We received a request to reset the password of your ${applicationName} account (${to}).`,
    "Open this link to choose a new password:",
    "",
    resetLink,
    "",
    `The link works once and expires in ${lifetime}. If you did not ask for this, ignore this email: your password stays the same.`,
    "",
    `— ${applicationName}`,
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<p>Hello ${escapeHtml(user.name)},</p>
<p>We received a request to reset the password of your ${escapeHtml(applicationName)} account (${escapeHtml(to)}).</p>
<p><a href="${escapeHtml(resetLink)}">Choose a new password</a></p>
<p>The link works once and expires in ${escapeHtml(lifetime)}. If you did not ask for this, ignore this email: your password stays the same.</p>
<p>— ${escapeHtml(applicationName)}</p></body></html>`;
  const message: OutboxMessage = {
    id: `msg_${randomUUID()}`,
    to,
    subject: `Reset your ${applicationName} password`,
    text,
    html,
    resetLink,
    sentAt: new Date().toISOString(),
  };
  context.store.addOutbox(message);
  context.stats.emailsSent += 1;
  return message;
}

function messagesFor(context: TenantContext, to: string | null): OutboxMessage[] {
  const wanted = to?.toLowerCase();
  return context.store.outbox.filter((m) => !wanted || m.to.toLowerCase() === wanted).reverse();
}

/** GET /outbox.json?to=<email> — newest first. */
export async function outboxJson({ context, res, url }: RouteRequest): Promise<void> {
  sendJson(res, 200, messagesFor(context, url.searchParams.get("to")));
}

/** GET /outbox — a page a person can read during a demo. */
export async function outboxPage({ context, res, url }: RouteRequest): Promise<void> {
  const to = url.searchParams.get("to");
  const messages = messagesFor(context, to).slice(0, 200);
  const items = messages
    .map(
      (m) => `<article><h2>${escapeHtml(m.subject)}</h2>
<p class="meta">To <strong>${escapeHtml(m.to)}</strong> · <time datetime="${m.sentAt}">${escapeHtml(m.sentAt)}</time></p>
<pre>${escapeHtml(m.text)}</pre>
${m.resetLink ? `<p><a href="${escapeHtml(m.resetLink)}">Open the reset link</a></p>` : ""}</article>`,
    )
    .join("\n");
  sendHtml(
    res,
    200,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Outbox — local tenant</title>
<style>body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1f2937}article{border:1px solid #d1d5db;border-radius:.5rem;padding:1rem;margin:1rem 0}pre{white-space:pre-wrap;font-family:inherit}.meta{color:#4b5563}</style></head>
<body><h1>Outbox</h1><p>Every email the local tenant has "sent", newest first${to ? ` — to ${escapeHtml(to)}` : ""}. ${messages.length} shown.</p>
<form method="get"><label>Recipient <input name="to" type="email" value="${escapeHtml(to ?? "")}"></label> <button>Filter</button></form>
${items || "<p>No emails yet.</p>"}</body></html>`,
  );
}
