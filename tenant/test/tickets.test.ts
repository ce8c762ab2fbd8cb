import { describe, expect, it } from "vitest";
import {
  createDatabaseUser,
  expectError,
  getToken,
  manualClock,
  passwordGrant,
  setUpTestTenant,
} from "./helpers.ts";
import { DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET } from "../src/demo-credentials.ts";

const clock = manualClock();
const t = setUpTestTenant({ now: clock.now });

async function createUser(): Promise<{ id: string; email: string }> {
  return createDatabaseUser(t, "ticket");
}

function ticketId(url: string): string {
  return new URL(url).searchParams.get("ticket") ?? "";
}

async function openLink(url: string, lang = "en"): Promise<{ status: number; html: string }> {
  const response = await t.fetch(`${url.replace(/#$/, "")}&lang=${lang}`);
  return { status: response.status, html: await response.text() };
}

async function submitLink(url: string, password: string, confirmation = password): Promise<Response> {
  return t.fetch(url.replace(/#$/, ""), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      ticket: ticketId(url),
      newPassword: password,
      confirmNewPassword: confirmation,
    }).toString(),
    redirect: "manual",
  });
}

describe("POST /api/v2/tickets/password-change", () => {
  it("returns 201 with a reset URL holding a 32-character ticket; the link sets the password once", async () => {
    const { id, email } = await createUser();
    const { ticket } = await t.management.tickets.changePassword({ user_id: id });
    expect(ticket).toMatch(
      new RegExp(`^https://${t.tenant.domain}/u/reset-password\\?ticket=[A-Za-z0-9]{32}#$`),
    );

    const page = await openLink(ticket ?? "");
    expect(page.status).toBe(200);
    expect(page.html).toContain("At least 8 characters in length");
    expect(page.html).toContain(email);

    const mismatch = await submitLink(ticket ?? "", "Ticket-Pass-1!", "Different-1!");
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain("do not match");

    const weak = await submitLink(ticket ?? "", "weak");
    expect(weak.status).toBe(400);
    expect(await weak.text()).toContain("too weak");

    const done = await submitLink(ticket ?? "", "Ticket-Pass-1!");
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Your password has been changed.");
    expect((await passwordGrant(t, email, "Ticket-Pass-1!")).status).toBe(200);
    expect((await passwordGrant(t, email, "Initial-Pass-1!")).status).toBe(403);

    const reused = await openLink(ticket ?? "");
    expect(reused.status).toBe(410);
    expect(reused.html).toContain("already been used");
    const resubmit = await submitLink(ticket ?? "", "Another-Pass-2!");
    expect(resubmit.status).toBe(410);
    expect((await passwordGrant(t, email, "Another-Pass-2!")).status).toBe(403);
  });

  it("a newer ticket supersedes the older one", async () => {
    const { id } = await createUser();
    const first = await t.management.tickets.changePassword({ user_id: id });
    const second = await t.management.tickets.changePassword({ user_id: id });
    const old = await openLink(first.ticket ?? "");
    expect(old.status).toBe(410);
    expect(old.html).toContain("newer one was requested");
    expect((await submitLink(first.ticket ?? "", "Superseded-Pass-1!")).status).toBe(410);
    expect((await openLink(second.ticket ?? "")).status).toBe(200);
  });

  it("expires after ttl_sec", async () => {
    const { id } = await createUser();
    const { ticket } = await t.management.tickets.changePassword({ user_id: id, ttl_sec: 1 });
    expect((await openLink(ticket ?? "")).status).toBe(200);
    clock.advance(999);
    expect((await openLink(ticket ?? "")).status).toBe(200);
    clock.advance(1);
    const expired = await openLink(ticket ?? "");
    expect(expired.status).toBe(410);
    expect(expired.html).toContain("expired");
  });

  it("accepts email + connection_id, and redirects to result_url (with email when asked) and marks the email verified", async () => {
    const { id, email } = await createUser();
    const connections = await t.management.connections.list({ name: "Username-Password-Authentication" });
    const connectionId = connections.data[0]?.id ?? "";
    expect(connectionId).toMatch(/^con_[A-Za-z0-9]{16}$/);
    const { ticket } = await t.management.tickets.changePassword({
      email,
      connection_id: connectionId,
      result_url: "https://app.example/done",
      includeEmailInRedirect: true,
      mark_email_as_verified: true,
      ttl_sec: 0,
    });
    const response = await submitLink(ticket ?? "", "Redirect-Pass-1!");
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe("https://app.example/done");
    expect(location.searchParams.get("email")).toBe(email);
    expect((await t.management.users.get(id)).email_verified).toBe(true);
  });

  it("rejects unknown properties, answers 404 for an unknown user, 400 for a social user", async () => {
    const token = await getToken(t, DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET);
    const unknown = await t.fetch(`${t.tenant.url}/api/v2/tickets/password-change`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ user_id: "auth0|x", surprise: true }),
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ statusCode: 400, errorCode: "invalid_body" });

    const missing = await expectError(() =>
      t.noRetry.tickets.changePassword({ user_id: "auth0|000000000000000000000000" }),
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.body["message"]).toBe("User not found.");

    const social = (await t.management.users.listUsersByEmail({ email: "google.demo@gmail.example" }))[0];
    const socialError = await expectError(() =>
      t.noRetry.tickets.changePassword({ user_id: social?.user_id ?? "" }),
    );
    expect(socialError.statusCode).toBe(400);
  });

  it("a PATCH does not invalidate an outstanding link", async () => {
    const { id, email } = await createUser();
    const { ticket } = await t.management.tickets.changePassword({ user_id: id });
    await t.management.users.update(id, { password: "Patched-Pass-1!" });
    expect((await submitLink(ticket ?? "", "After-Patch-Link-2!")).status).toBe(200);
    expect((await passwordGrant(t, email, "After-Patch-Link-2!")).status).toBe(200);
  });
});

describe("hosted reset page", () => {
  it("speaks Japanese by Accept-Language or ?lang=ja", async () => {
    const { id } = await createUser();
    const { ticket } = await t.management.tickets.changePassword({ user_id: id });
    const byLang = await openLink(ticket ?? "", "ja");
    expect(byLang.html).toContain('lang="ja"');
    expect(byLang.html).toContain("8 文字以上");
    const byHeader = await t.fetch((ticket ?? "").replace(/#$/, ""), {
      headers: { "accept-language": "ja-JP,ja;q=0.9,en;q=0.8" },
    });
    expect(await byHeader.text()).toContain("新しいパスワード");
  });

  it("answers 404 for an unknown ticket", async () => {
    const response = await t.fetch(`${t.tenant.url}/u/reset-password?ticket=${"x".repeat(32)}`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("not valid");
  });
});
