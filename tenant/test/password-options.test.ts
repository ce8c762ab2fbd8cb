import { describe, expect, it } from "vitest";
import { expectError, passwordGrant, setUpTestTenant, uniqueEmail } from "./helpers.ts";

/**
 * The connection rules beyond strength as Auth0 documents them — dictionary (exact,
 * case-insensitive), personal data, history — and the newer `password_options` format, through
 * the official SDK. This file's tenant is its own: it changes a connection's options freely.
 */
const t = setUpTestTenant();

const DATABASE = "Username-Password-Authentication";
const STAFF = "Passdesk-Staff-DB";

async function setOptions(connection: string, options: Record<string, unknown>): Promise<Response> {
  return t.control("PATCH", `/connections/${encodeURIComponent(connection)}`, { options });
}

async function createUser(connection: string, password: string, extra: Record<string, unknown> = {}) {
  const email = uniqueEmail("opts");
  const created = await t.management.users.create({ connection, email, password, ...extra });
  return { id: created.user_id ?? "", email };
}

async function refusal(id: string, password: string): Promise<unknown> {
  const error = await expectError(() => t.noRetry.users.update(id, { password }));
  expect(error.statusCode).toBe(400);
  return error.body["message"];
}

describe("classic options: dictionary and personal info on Passdesk-Staff-DB", () => {
  it('"Passdesk2025!" meets the strength rules but is in the connection\'s dictionary', async () => {
    const { id } = await createUser(STAFF, "Staff-Initial-Pass-1!");
    expect(await refusal(id, "Passdesk2025!")).toBe("PasswordDictionaryError: Password is too common");
    expect(await refusal(id, "PASSDESK2025!")).toBe("PasswordDictionaryError: Password is too common");
    // Exact match only: a longer password that contains an entry is not a dictionary word.
    const ok = await t.management.users.update(id, { password: "Passdesk2025!-Harbor" });
    expect(ok.last_password_reset).toBeDefined();
  });

  it("name defaults to the email: its local part counts, its domain does not", async () => {
    const { id, email } = await createUser(STAFF, "Staff-Initial-Pass-1!");
    const user = await t.management.users.get(id);
    expect(user.name).toBe(email);
    const local = email.split("@")[0] ?? "";
    expect(await refusal(id, `${local}-Lamp-47`)).toBe("PasswordNoUserInfoError: Password contains user information");
    const ok = await t.management.users.update(id, { password: "Example-Lamp-2031!" });
    expect(ok.last_password_reset).toBeDefined();
    expect((await passwordGrant(t, email, "Example-Lamp-2031!", STAFF)).status).toBe(200);
  });

  it("username, nickname and user_metadata first/last count as personal info", async () => {
    const { id } = await createUser(STAFF, "Staff-Initial-Pass-1!", {
      username: "kzwanenburg",
      nickname: "Kiki",
      user_metadata: { first: "Klaasje", last: "Zwanenburg" },
    });
    for (const password of ["Kzwanenburg-Lamp-47", "Lamp-kiki-2031-47!", "Klaasje-Lamp-2031!", "ZWANENBURG-lamp-2031"]) {
      expect(await refusal(id, password)).toBe("PasswordNoUserInfoError: Password contains user information");
    }
  });
});

describe("password_options (the newer connection format)", () => {
  it("the control API stores it; the SDK reads it back on the connection", async () => {
    const response = await setOptions(DATABASE, {
      password_options: {
        complexity: {
          min_length: 14,
          character_types: ["uppercase", "lowercase", "number", "special"],
          character_type_rule: "all",
          identical_characters: "block",
          sequential_characters: "block",
          max_length_exceeded: "error",
        },
        dictionary: { active: true, custom: ["Harbor-Lamp-2031!"], default: "en_10k" },
        history: { active: true, size: 2 },
        profile_data: { active: true, blocked_fields: ["phone_number"] },
      },
    });
    expect(response.status).toBe(200);
    const [connection] = (await t.management.connections.list({ name: DATABASE })).data;
    expect(connection?.options?.["password_options"]).toEqual({
      complexity: {
        min_length: 14,
        character_types: ["uppercase", "lowercase", "number", "special"],
        character_type_rule: "all",
        identical_characters: "block",
        sequential_characters: "block",
        max_length_exceeded: "error",
      },
      dictionary: { active: true, custom: ["Harbor-Lamp-2031!"], default: "en_10k" },
      history: { active: true, size: 2 },
      profile_data: { active: true, blocked_fields: ["phone_number"] },
    });
  });

  it("enforces its complexity instead of the preset", async () => {
    const { id } = await createUser(DATABASE, "Quiet-Harbor-47x!");
    // "good" would accept these; the complexity options do not.
    for (const password of ["Short-Pass-7!", "no-upper-case-47!", "NoSpecialChars47x", "Quiet-Harbor-47xxx!", "Quiet-Harbor-123!"]) {
      expect(await refusal(id, password), password).toBe("PasswordStrengthError: Password is too weak");
    }
    expect(await refusal(id, `Quiet-Harbor-47!${"ab".repeat(30)}`)).toBe("PasswordStrengthError: Password is too weak");
    const ok = await t.management.users.update(id, { password: "Amber-Window-58!" });
    expect(ok.last_password_reset).toBeDefined();
  });

  it("enforces its dictionary (custom words, case-insensitive) and profile_data with blocked_fields", async () => {
    const { id } = await createUser(DATABASE, "Quiet-Harbor-47x!", {
      given_name: "Oluwaseun",
      phone_number: "+14152430187",
    });
    expect(await refusal(id, "harbor-lamp-2031!")).toBe("PasswordStrengthError: Password is too weak");
    expect(await refusal(id, "HARBOR-LAMP-2031!".replace("ARBOR", "arbor"))).toBe(
      "PasswordDictionaryError: Password is too common",
    );
    expect(await refusal(id, "Oluwaseun-Lamp-58!")).toBe("PasswordNoUserInfoError: Password contains user information");
    expect(await refusal(id, "Lamp-14152430187-Ab")).toBe("PasswordNoUserInfoError: Password contains user information");
  });

  it("enforces its history size (2) instead of the classic password_history (5)", async () => {
    const { id, email } = await createUser(DATABASE, "Quiet-Harbor-47x!");
    expect(await refusal(id, "Quiet-Harbor-47x!")).toBe("PasswordHistoryError: Password has previously been used");
    await t.management.users.update(id, { password: "Amber-Window-58!" });
    await t.management.users.update(id, { password: "Silver-Meadow-69!" });
    // Two newer passwords later, the first one may be used again (the classic size was 5).
    const ok = await t.management.users.update(id, { password: "Quiet-Harbor-47x!" });
    expect(ok.last_password_reset).toBeDefined();
    expect((await passwordGrant(t, email, "Quiet-Harbor-47x!")).status).toBe(200);
  });

  it("refuses complexity options the policy package refuses, and unknown connections", async () => {
    const bad = await setOptions(DATABASE, {
      password_options: { complexity: { character_types: ["lowercase"], character_type_rule: "three_of_four" } },
    });
    expect(bad.status).toBe(400);
    expect((await setOptions("No-Such-Connection", { passwordPolicy: "low" })).status).toBe(404);
    // The refused change left the stored options as they were.
    const [connection] = (await t.management.connections.list({ name: DATABASE })).data;
    expect(connection?.options?.["password_options"]).toMatchObject({ history: { active: true, size: 2 } });
  });
});
