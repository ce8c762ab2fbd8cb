import { describe, expect, it } from "vitest";
import { DEMO_RESET_CLIENT_ID } from "../src/demo-credentials.ts";
import { manualClock, passwordGrant, setUpTestTenant, uniqueEmail } from "./helpers.ts";

const CONNECTION = "Username-Password-Authentication";
const SENT = "We've just sent you an email to reset your password.";

const clock = manualClock();
const t = setUpTestTenant({
  now: clock.now,
  rateLimits: { disabled: false, groups: {}, changePassword: { burst: 10, perMinute: 1 } },
});

type OutboxEntry = {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  resetLink: string;
  sentAt: string;
};

async function outbox(to: string): Promise<OutboxEntry[]> {
  return (await (
    await t.fetch(`${t.tenant.url}/outbox.json?to=${encodeURIComponent(to)}`)
  ).json()) as OutboxEntry[];
}

async function createUser(): Promise<string> {
  const email = uniqueEmail("cp");
  await t.management.users.create({ connection: CONNECTION, email, password: "Initial-Pass-1!" });
  return email;
}

async function resetWith(link: string, password: string): Promise<Response> {
  return t.fetch(link.replace(/#$/, ""), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      ticket: new URL(link).searchParams.get("ticket") ?? "",
      newPassword: password,
      confirmNewPassword: password,
    }).toString(),
  });
}

describe("POST /dbconnections/change_password", () => {
  it("sends a reset email through the legacy SDK; the link resets the password", async () => {
    const email = await createUser();
    const response = await t.authentication.database.changePassword({ email, connection: CONNECTION });
    expect(response.data).toBe(SENT);
    const messages = await outbox(email);
    expect(messages).toHaveLength(1);
    const message = messages[0];
    expect(message?.subject).toContain("Reset your");
    expect(message?.resetLink).toMatch(/\/u\/reset-password\?ticket=[A-Za-z0-9]{32}#$/);
    expect(message?.text).toContain(message?.resetLink ?? "missing");
    expect(message?.html).toContain("Choose a new password");
    expect((await resetWith(message?.resetLink ?? "", "Email-Reset-Pass-1!")).status).toBe(200);
    expect((await passwordGrant(t, email, "Email-Reset-Pass-1!")).status).toBe(200);
  });

  it("answers the same text for an unknown email and sends nothing", async () => {
    const email = uniqueEmail("ghost");
    const response = await t.authentication.database.changePassword({ email, connection: CONNECTION });
    expect(response.data).toBe(SENT);
    expect(await outbox(email)).toEqual([]);
  });

  it("only the newest link works", async () => {
    const email = await createUser();
    await t.authentication.database.changePassword({ email, connection: CONNECTION });
    await t.authentication.database.changePassword({ email, connection: CONNECTION });
    const [newest, older] = await outbox(email);
    expect(newest?.resetLink).not.toBe(older?.resetLink);
    expect((await resetWith(older?.resetLink ?? "", "Older-Link-Pass-1!")).status).toBe(410);
    expect((await resetWith(newest?.resetLink ?? "", "Newest-Link-Pass-1!")).status).toBe(200);
  });

  it("uses the tenant's link lifetime setting", async () => {
    const email = await createUser();
    expect((await t.control("PUT", "/settings", { resetLinkLifetimeSec: 1 })).status).toBe(200);
    try {
      await t.authentication.database.changePassword({ email, connection: CONNECTION });
      const [message] = await outbox(email);
      clock.advance(999);
      expect((await t.fetch((message?.resetLink ?? "").replace(/#$/, ""))).status).toBe(200);
      clock.advance(1);
      const response = await t.fetch((message?.resetLink ?? "").replace(/#$/, ""));
      expect(response.status).toBe(410);
      expect(await response.text()).toContain("expired");
    } finally {
      await t.control("PUT", "/settings", { resetLinkLifetimeSec: 432000 });
    }
  });

  it("refuses a password in the body with 400", async () => {
    const response = await t.fetch(`${t.tenant.url}/dbconnections/change_password`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_id: DEMO_RESET_CLIENT_ID,
        email: "alice.demo@example.com",
        connection: CONNECTION,
        password: "Sneaky-1!",
      }),
    });
    expect(response.status).toBe(400);
    expect(await outbox("alice.demo@example.com")).toEqual([]);
  });

  it("rate-limits per IP and email: burst 10, then 429", async () => {
    const email = await createUser();
    const send = (): Promise<Response> =>
      t.fetch(`${t.tenant.url}/dbconnections/change_password`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_id: DEMO_RESET_CLIENT_ID, email, connection: CONNECTION }),
      });
    for (let i = 0; i < 10; i++) expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    expect(await outbox(email)).toHaveLength(10);
    // Another email from the same IP has its own bucket.
    const other = await createUser();
    expect(
      (await t.authentication.database.changePassword({ email: other, connection: CONNECTION })).data,
    ).toBe(SENT);
  });

  it("shows the emails on the outbox page", async () => {
    const email = await createUser();
    await t.authentication.database.changePassword({ email, connection: CONNECTION });
    const response = await t.fetch(`${t.tenant.url}/outbox`);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain(email);
  });
});
