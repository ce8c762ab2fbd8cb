import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createManagementApi, type ManagementApi } from "@/lib/auth0/client";
import { getUser, searchUsers } from "@/lib/auth0/users";
import { evaluatePassword } from "@/lib/password-policy/policy";
import { startLocalTenant, type LocalTenant } from "./local-tenant";

/**
 * A connection's password rules as the Danger Zone reads them through the SDK from the local
 * tenant: the classic options (with the connection's own dictionary) and `password_options`.
 * This file has its own tenant, so changing a connection's options touches no other test.
 */
let tenant: LocalTenant;

function apiFor(): ManagementApi {
  return createManagementApi({
    domain: tenant.domain,
    clientId: "passdesk-demo-m2m",
    clientSecret: "passdesk-demo-m2m-secret",
    caPem: tenant.caPem,
    timeoutMs: 5_000,
  });
}

async function firstUserOf(api: ManagementApi, connection: string) {
  const { users } = await searchUsers({ field: "connection", text: connection, page: 1, perPage: 10 }, api);
  const found = users.find((user) => user.connection === connection);
  if (!found) throw new Error(`no seeded user in ${connection}`);
  return getUser(found.userId, api);
}

beforeAll(async () => {
  tenant = await startLocalTenant(200);
});

afterAll(async () => {
  await tenant?.close();
});

describe("password rules read from the connection", () => {
  it("Passdesk-Staff-DB: excellent, min_length 12, its own dictionary and the personal-info rule", async () => {
    const api = apiFor();
    const profile = await firstUserOf(api, "Passdesk-Staff-DB");
    const policy = profile?.databaseIdentity?.passwordPolicy;
    expect(policy).toEqual({
      policy: "excellent",
      minLength: 12,
      complexity: null,
      history: { enabled: false, size: 5 },
      dictionary: { enabled: true, words: ["passdesk", "passdesk123!", "Passdesk2025!", "CorrectHorse1!"] },
      noPersonalInfo: { enabled: true, blockedFields: [] },
    });
    if (policy) expect(evaluatePassword(policy, "Passdesk2025!", []).refusal).toBe("dictionary");
    await api.close();
  });

  it("password_options replaces the classic fields once the connection uses it", async () => {
    const response = await tenant.control("PATCH", "/__control/connections/Username-Password-Authentication", {
      options: {
        password_options: {
          complexity: { min_length: 14, character_types: ["lowercase", "number"], identical_characters: "block" },
          dictionary: { active: true, custom: ["Harbor-Lamp-2031"] },
          history: { active: true, size: 3 },
          profile_data: { active: false },
        },
      },
    });
    expect(response.status).toBe(200);
    // A fresh client: the connection list is cached per client for a minute.
    const api = apiFor();
    const profile = await firstUserOf(api, "Username-Password-Authentication");
    const policy = profile?.databaseIdentity?.passwordPolicy;
    expect(policy).toEqual({
      policy: "good",
      minLength: null,
      complexity: {
        minLength: 14,
        characterTypes: ["lowercase", "number"],
        characterTypeRule: null,
        identicalCharacters: "block",
        sequentialCharacters: null,
        maxLengthExceeded: null,
      },
      history: { enabled: true, size: 3 },
      dictionary: { enabled: true, words: ["Harbor-Lamp-2031"] },
      noPersonalInfo: { enabled: false, blockedFields: [] },
    });
    if (policy) {
      expect(evaluatePassword(policy, "quiet-harbor-47", []).refusal).toBe(null);
      expect(evaluatePassword(policy, "Password1!", []).refusal).toBe("strength");
      expect(evaluatePassword(policy, "harbor-lamp-2031", []).refusal).toBe("dictionary");
    }
    await api.close();
  });
});
