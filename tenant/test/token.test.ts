import { createLocalJWKSet, decodeJwt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import {
  DEMO_M2M_CLIENT_ID,
  DEMO_M2M_CLIENT_SECRET,
  DEMO_READONLY_CLIENT_ID,
  DEMO_READONLY_CLIENT_SECRET,
} from "../src/demo-credentials.ts";
import { expectError, getToken, managementClientFor, postToken, setUpTestTenant } from "./helpers.ts";

const t = setUpTestTenant();

async function stats(): Promise<{ tokensIssued: number }> {
  return (await (await t.control("GET", "/stats")).json()) as { tokensIssued: number };
}

describe("POST /oauth/token (client_credentials)", () => {
  it("issues an RS256 token with Auth0's claims for a form-encoded request, verifiable with the JWKS", async () => {
    const response = await t.fetch(`${t.tenant.url}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: DEMO_M2M_CLIENT_ID,
        client_secret: DEMO_M2M_CLIENT_SECRET,
        audience: `${t.tenant.url}/api/v2/`,
      }).toString(),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      access_token: string;
      expires_in: number;
      scope: string;
      token_type: string;
    };
    expect(body.expires_in).toBe(86400);
    expect(body.token_type).toBe("Bearer");
    expect(body.scope.split(" ")).toEqual(
      expect.arrayContaining(["read:users", "update:users", "create:user_tickets", "read:connections"]),
    );

    const jwksResponse = await t.fetch(`${t.tenant.url}/.well-known/jwks.json`);
    const jwks = (await jwksResponse.json()) as { keys: { kid: string }[] };
    const { payload, protectedHeader } = await jwtVerify(
      body.access_token,
      createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]),
      {
        issuer: `${t.tenant.url}/`,
        audience: `${t.tenant.url}/api/v2/`,
      },
    );
    expect(protectedHeader.alg).toBe("RS256");
    expect(payload.sub).toBe(`${DEMO_M2M_CLIENT_ID}@clients`);
    expect(payload["gty"]).toBe("client-credentials");
    expect(payload["scope"]).toBe(body.scope);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(86400);
  });

  it("accepts a JSON body", async () => {
    const token = await getToken(t, DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET);
    expect(decodeJwt(token).sub).toBe(`${DEMO_M2M_CLIENT_ID}@clients`);
  });

  it("refuses bad credentials with 401 access_denied", async () => {
    const response = await postToken(t, {
      grant_type: "client_credentials",
      client_id: DEMO_M2M_CLIENT_ID,
      client_secret: "wrong",
      audience: `${t.tenant.url}/api/v2/`,
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: "access_denied", error_description: "Unauthorized" });
  });

  it("refuses a wrong audience", async () => {
    const response = await postToken(t, {
      grant_type: "client_credentials",
      client_id: DEMO_M2M_CLIENT_ID,
      client_secret: DEMO_M2M_CLIENT_SECRET,
      audience: "https://elsewhere/api/v2/",
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toBe("access_denied");
  });

  it("the SDK reuses one token across calls", async () => {
    const client = managementClientFor(t, DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET);
    const before = (await stats()).tokensIssued;
    await client.users.list({ per_page: 1 });
    await client.users.get((await client.users.list({ per_page: 1 })).data[0]?.user_id ?? "");
    await client.connections.list();
    expect((await stats()).tokensIssued).toBe(before + 1);
  });
});

describe("Management API bearer checks", () => {
  it("401 Missing authentication without a token", async () => {
    const response = await t.fetch(`${t.tenant.url}/api/v2/users`);
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await response.json()).toMatchObject({
      statusCode: 401,
      error: "Unauthorized",
      message: "Missing authentication",
    });
  });

  it("401 Invalid token for a forged token", async () => {
    const token = await getToken(t, DEMO_M2M_CLIENT_ID, DEMO_M2M_CLIENT_SECRET);
    const forged = `${token.slice(0, -4)}AAAA`;
    const response = await t.fetch(`${t.tenant.url}/api/v2/users`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      statusCode: 401,
      error: "Unauthorized",
      message: "Invalid token",
    });
  });

  it("401 with the expired-token message for an expired token", async () => {
    const minted = (await (
      await t.control("POST", "/tokens", { clientId: DEMO_M2M_CLIENT_ID, expiresInSec: -60 })
    ).json()) as { access_token: string };
    const response = await t.fetch(`${t.tenant.url}/api/v2/users`, {
      headers: { authorization: `Bearer ${minted.access_token}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      statusCode: 401,
      message: "Expired token received for JSON Web Token validation",
    });
  });

  it("403 insufficient_scope for a client without update:users (SDK ForbiddenError)", async () => {
    const readonly = managementClientFor(t, DEMO_READONLY_CLIENT_ID, DEMO_READONLY_CLIENT_SECRET);
    const users = await readonly.users.list({ per_page: 1 });
    const id = users.data[0]?.user_id ?? "";
    expect(id).not.toBe("");
    const error = await expectError(() => readonly.users.update(id, { blocked: true }));
    expect(error.statusCode).toBe(403);
    expect(error.body).toEqual({
      statusCode: 403,
      error: "Forbidden",
      message: "Insufficient scope, expected any of: update:users",
      errorCode: "insufficient_scope",
    });
    const after = await t.management.users.get(id);
    expect(after.blocked).not.toBe(true);
  });
});
