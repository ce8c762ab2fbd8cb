import { fetch } from "undici";
import { describe, expect, it } from "vitest";
import { Auth0NotFoundError, Auth0ScopeError } from "@/lib/auth0/errors";
import {
  deleteAuthenticationMethod,
  deleteAuthenticationMethods,
  listAuthenticationMethods,
} from "@/lib/auth0/mfa";
import { sendVerificationEmail } from "@/lib/auth0/verification";
import { createDatabaseUser, setUpSupportTenant } from "./support-helpers";

const support = setUpSupportTenant(40);

async function aliceId(): Promise<string> {
  const [alice] = await support.api.run("users.listUsersByEmail", (client) =>
    client.users.listUsersByEmail({ email: "alice.demo@example.com" }),
  );
  return alice?.user_id ?? "";
}

describe("MFA reset", () => {
  it("lists the demo user's factors, removes one, then all", async () => {
    const id = await aliceId();
    const methods = await listAuthenticationMethods(id, support.api);
    expect(methods?.map((m) => [m.type, m.confirmed, m.preferredMethod])).toEqual([
      ["totp", true, null],
      ["phone", true, "sms"],
      ["recovery-code", true, null],
    ]);
    expect(methods?.[1]?.name).toBe("+XXXXXXXXX00");

    await deleteAuthenticationMethod(id, methods?.[0]?.id ?? "", support.api);
    expect((await listAuthenticationMethods(id, support.api))?.map((m) => m.type)).toEqual([
      "phone",
      "recovery-code",
    ]);
    await expect(deleteAuthenticationMethod(id, methods?.[0]?.id ?? "", support.api)).rejects.toBeInstanceOf(
      Auth0NotFoundError,
    );
    await deleteAuthenticationMethods(id, support.api);
    expect(await listAuthenticationMethods(id, support.api)).toEqual([]);
  });

  it("answers null for an unknown user and a scope error naming read:authentication_methods", async () => {
    expect(await listAuthenticationMethods("auth0|000000000000000000000000", support.api)).toBeNull();
    const error = await listAuthenticationMethods(await aliceId(), support.readonlyApi).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Auth0ScopeError);
    expect((error as Auth0ScopeError).scopes).toEqual(["read:authentication_methods"]);
  });
});

describe("sendVerificationEmail", () => {
  it("queues the email (pending job) and it lands in the tenant's outbox", async () => {
    const { id, email } = await createDatabaseUser(support.api, "verify");
    const job = await sendVerificationEmail(id, {}, support.api);
    expect(job.status).toBe("pending");
    expect(job.jobId).toMatch(/^job_/);
    const response = await fetch(`${support.tenant.url}/outbox.json?to=${encodeURIComponent(email)}`, {
      dispatcher: support.dispatcher,
    });
    const outbox = (await response.json()) as { subject: string }[];
    expect(outbox.map((m) => m.subject)).toEqual(["Verify your email for Passdesk Demo"]);
  });

  it("throws not-found for an unknown user and a scope error naming update:users", async () => {
    await expect(
      sendVerificationEmail("auth0|000000000000000000000000", {}, support.api),
    ).rejects.toBeInstanceOf(Auth0NotFoundError);
    const { id } = await createDatabaseUser(support.api, "verify");
    const error = await sendVerificationEmail(id, {}, support.readonlyApi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Auth0ScopeError);
    expect((error as Auth0ScopeError).scopes).toEqual(["update:users"]);
  });
});
