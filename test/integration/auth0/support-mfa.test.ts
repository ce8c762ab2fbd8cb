import { Agent, fetch } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManagementApi, type ManagementApi } from "@/lib/auth0/client";
import { Auth0NotFoundError, Auth0ScopeError } from "@/lib/auth0/errors";
import {
  deleteAuthenticationMethod,
  deleteAuthenticationMethods,
  listAuthenticationMethods,
} from "@/lib/auth0/mfa";
import { sendVerificationEmail } from "@/lib/auth0/verification";
import { startLocalTenant, type LocalTenant } from "./local-tenant";
import { createDatabaseUser } from "./support-helpers";

let tenant: LocalTenant;
let api: ManagementApi;
let readonlyApi: ManagementApi;
let dispatcher: Agent;

beforeAll(async () => {
  tenant = await startLocalTenant(40);
  dispatcher = new Agent({ connect: { ca: tenant.caPem } });
  await tenant.control("PUT", "/__control/rate-limits", { disabled: true });
  const config = { domain: tenant.domain, caPem: tenant.caPem, timeoutMs: 5_000 };
  api = createManagementApi({
    ...config,
    clientId: "passdesk-demo-m2m",
    clientSecret: "passdesk-demo-m2m-secret",
  });
  readonlyApi = createManagementApi({
    ...config,
    clientId: "passdesk-demo-readonly",
    clientSecret: "passdesk-demo-readonly-secret",
  });
});

afterAll(async () => {
  await api?.close();
  await readonlyApi?.close();
  await dispatcher?.close();
  await tenant?.close();
});

async function aliceId(): Promise<string> {
  const [alice] = await api.run("users.listUsersByEmail", (client) =>
    client.users.listUsersByEmail({ email: "alice.demo@example.com" }),
  );
  return alice?.user_id ?? "";
}

describe("MFA reset", () => {
  it("lists the demo user's factors, removes one, then all", async () => {
    const id = await aliceId();
    const methods = await listAuthenticationMethods(id, api);
    expect(methods?.map((m) => [m.type, m.confirmed, m.preferredMethod])).toEqual([
      ["totp", true, null],
      ["phone", true, "sms"],
      ["recovery-code", true, null],
    ]);
    expect(methods?.[1]?.name).toBe("+XXXXXXXXX00");

    await deleteAuthenticationMethod(id, methods?.[0]?.id ?? "", api);
    expect((await listAuthenticationMethods(id, api))?.map((m) => m.type)).toEqual([
      "phone",
      "recovery-code",
    ]);
    await expect(deleteAuthenticationMethod(id, methods?.[0]?.id ?? "", api)).rejects.toBeInstanceOf(
      Auth0NotFoundError,
    );
    await deleteAuthenticationMethods(id, api);
    expect(await listAuthenticationMethods(id, api)).toEqual([]);
  });

  it("answers null for an unknown user and a scope error naming read:authentication_methods", async () => {
    expect(await listAuthenticationMethods("auth0|000000000000000000000000", api)).toBeNull();
    const error = await listAuthenticationMethods(await aliceId(), readonlyApi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Auth0ScopeError);
    expect((error as Auth0ScopeError).scopes).toEqual(["read:authentication_methods"]);
  });
});

describe("sendVerificationEmail", () => {
  it("queues the email (pending job) and it lands in the tenant's outbox", async () => {
    const { id, email } = await createDatabaseUser(api, "verify");
    const job = await sendVerificationEmail(id, {}, api);
    expect(job.status).toBe("pending");
    expect(job.jobId).toMatch(/^job_/);
    const response = await fetch(`${tenant.url}/outbox.json?to=${encodeURIComponent(email)}`, { dispatcher });
    const outbox = (await response.json()) as { subject: string }[];
    expect(outbox.map((m) => m.subject)).toEqual(["Verify your email for Passdesk Demo"]);
  });

  it("throws not-found for an unknown user and a scope error naming update:users", async () => {
    await expect(sendVerificationEmail("auth0|000000000000000000000000", {}, api)).rejects.toBeInstanceOf(
      Auth0NotFoundError,
    );
    const { id } = await createDatabaseUser(api, "verify");
    const error = await sendVerificationEmail(id, {}, readonlyApi).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Auth0ScopeError);
    expect((error as Auth0ScopeError).scopes).toEqual(["update:users"]);
  });
});
