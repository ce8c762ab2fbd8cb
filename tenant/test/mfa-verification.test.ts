import { describe, expect, it } from "vitest";
import { createDatabaseUser, expectError, setUpTestTenant, uniqueEmail } from "./helpers.ts";

const t = setUpTestTenant();

async function userIdOf(email: string): Promise<string> {
  const [user] = await t.management.users.listUsersByEmail({ email });
  return user?.user_id ?? "";
}

type Outbox = { to: string; subject: string; text: string; verificationLink?: string }[];

describe("authentication methods", () => {
  it("the MFA demo user always has TOTP, SMS and a recovery code", async () => {
    const id = await userIdOf("alice.demo@example.com");
    const page = await t.management.users.authenticationMethods.list(id);
    expect(page.data.map((m) => m.type)).toEqual(["totp", "phone", "recovery-code"]);
    expect(page.response).toMatchObject({ start: 0, limit: 50, total: 3 });
    const phone = page.data[1];
    expect(phone).toMatchObject({
      confirmed: true,
      phone_number: "+15555550100",
      preferred_authentication_method: "sms",
    });
    expect(phone?.id).toMatch(/^phone\|dev_[A-Za-z0-9_-]{16}$/);
    expect(await t.management.users.authenticationMethods.get(id, phone?.id ?? "")).toMatchObject({
      type: "phone",
    });
  });

  it("seeds enrolments for some other database users, and none for a new user", async () => {
    const users = await t.management.users.list({
      per_page: 100,
      q: 'identities.connection:"Username-Password-Authentication"',
    });
    let enrolled = 0;
    for (const user of users.data) {
      const methods = await t.management.users.authenticationMethods.list(user.user_id ?? "");
      if (methods.data.length > 0) enrolled++;
    }
    expect(enrolled).toBeGreaterThan(1);
    expect(enrolled).toBeLessThan(users.data.length);
    const created = await t.management.users.create({
      connection: "Username-Password-Authentication",
      email: uniqueEmail("mfa"),
      password: "Initial-Pass-1!",
    });
    expect((await t.management.users.authenticationMethods.list(created.user_id ?? "")).data).toEqual([]);
  });

  it("DELETE one method answers 204 and removes only it; DELETE all removes the rest", async () => {
    const id = await userIdOf("alice.demo@example.com");
    const [totp] = (await t.management.users.authenticationMethods.list(id)).data;
    const raw = await t.management.users.authenticationMethods.delete(id, totp?.id ?? "").withRawResponse();
    expect(raw.rawResponse.status).toBe(204);
    expect((await t.management.users.authenticationMethods.list(id)).data.map((m) => m.type)).toEqual([
      "phone",
      "recovery-code",
    ]);
    const again = await expectError(() => t.noRetry.users.authenticationMethods.delete(id, totp?.id ?? ""));
    expect(again.statusCode).toBe(404);
    await t.management.users.authenticationMethods.deleteAll(id);
    expect((await t.management.users.authenticationMethods.list(id)).data).toEqual([]);
    await t.control("POST", "/reset");
  });

  it("answers 404 for an unknown user", async () => {
    const error = await expectError(() =>
      t.noRetry.users.authenticationMethods.list("auth0|000000000000000000000000"),
    );
    expect(error).toMatchObject({ statusCode: 404, body: { message: "The user does not exist." } });
  });
});

describe("POST /api/v2/jobs/verification-email", () => {
  it("answers 201 with a pending job, writes the email to the outbox and an svr log; the link verifies", async () => {
    const { id, email, user: created } = await createDatabaseUser(t, "verify");
    expect(created.email_verified).toBe(false);
    const job = await t.management.jobs.verificationEmail.create({ user_id: id });
    expect(job).toMatchObject({ type: "verification_email", status: "pending" });
    expect(job.id).toMatch(/^job_[A-Za-z0-9]{16}$/);
    expect(await t.management.jobs.get(job.id ?? "")).toMatchObject({ id: job.id, status: "completed" });

    const outbox = (await (
      await t.fetch(`${t.tenant.url}/outbox.json?to=${encodeURIComponent(email)}`)
    ).json()) as Outbox;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]?.subject).toBe("Verify your email for Passdesk Demo");
    const logs = await t.management.logs.list({}, { queryParams: { q: `type:svr AND user_id:"${id}"` } });
    expect(logs.data).toHaveLength(1);

    const page = await t.fetch(outbox[0]?.verificationLink ?? "");
    expect(page.status).toBe(200);
    expect((await t.management.users.get(id)).email_verified).toBe(true);
    expect((await t.fetch(outbox[0]?.verificationLink ?? "")).status).toBe(410);
  });

  it("answers 404 for an unknown user and 400 for an unknown property", async () => {
    const missing = await expectError(() =>
      t.noRetry.jobs.verificationEmail.create({ user_id: "auth0|000000000000000000000000" }),
    );
    expect(missing.statusCode).toBe(404);
    const bad = await expectError(() =>
      t.noRetry.jobs.verificationEmail.create({ user_id: "auth0|x", extra: 1 } as never),
    );
    expect(bad).toMatchObject({
      statusCode: 400,
      body: { message: "Payload validation error: 'Additional properties not allowed: extra'." },
    });
  });
});
