import { beforeAll, describe, expect, it } from "vitest";
import { previewBulkSource, type PreviewOptions } from "@/lib/bulk/preview";
import { DATABASE_CONNECTION, emailsAt, setUpHarness } from "../passwords/harness";

/**
 * The batched CSV preview (email:(… OR …) / user_id:(…) searches) gives exactly the rows the
 * one-by-one lookups (users-by-email, GET users/{id}) give, on a literal case against the real
 * tenant: database users, an address typed in capitals, an unknown address, a social user, an
 * address shared by two connections (ambiguous), ids that exist and ids that do not — with one
 * value per search too, so several chunks run and are put back in input order.
 */
const h = setUpHarness();
const uniqueEmail = emailsAt("batch.passdesk.test");
const STAFF_CONNECTION = "Passdesk-Staff-DB";
const SOCIAL_USER = "google.demo@gmail.example";

function csv(column: string, values: readonly string[]) {
  return { kind: "csv" as const, fileName: "users.csv", contentBase64: Buffer.from(`${column}\n${values.join("\n")}\n`, "utf8").toString("base64") };
}

const WAYS: [string, PreviewOptions][] = [
  ["one by one", { lookup: "each" }],
  ["batched", { lookup: "batch" }],
  ["batched, one value per search", { lookup: "batch", valuesPerQuery: 1 }],
  ["batched, two values per search", { lookup: "batch", valuesPerQuery: 2 }],
];

describe("bulk CSV preview: batched lookups give the one-by-one result", () => {
  const a = uniqueEmail("a");
  const b = uniqueEmail("b");
  const shared = uniqueEmail("shared");
  const unknown = uniqueEmail("nobody");
  const ids = { a: "", b: "", sharedStaff: "", social: "" };
  beforeAll(async () => {
    ids.a = await h.createUser(a, "Initial-Password-42!");
    ids.b = await h.createUser(b, "Initial-Password-42!");
    await h.createUser(shared, "Initial-Password-42!");
    ids.sharedStaff = await h.createUser(shared, "Initial-Password-42!", STAFF_CONNECTION);
    ids.social = await h.findUserId(SOCIAL_USER);
  });

  it.each(WAYS)("emails, %s", async (_name, options) => {
    const preview = await previewBulkSource(h.api, csv("email", [a, b.toUpperCase(), unknown, SOCIAL_USER, shared]), "password.reset_email", options);
    expect(preview.ok && preview.rows).toEqual([
      { position: 2, input: a, status: "matched", userId: ids.a, connection: DATABASE_CONNECTION },
      { position: 3, input: b.toUpperCase(), status: "matched", userId: ids.b, connection: DATABASE_CONNECTION },
      { position: 4, input: unknown, status: "unknown", userId: null, connection: null },
      { position: 5, input: SOCIAL_USER, status: "not_database", userId: ids.social, connection: "google-oauth2" },
      { position: 6, input: shared, status: "ambiguous", userId: null, connection: null },
    ]);
  });

  it.each(WAYS)("user ids, %s (sign out everywhere: the social user matches)", async (_name, options) => {
    const preview = await previewBulkSource(h.api, csv("user_id", [ids.sharedStaff, "auth0|does-not-exist", ids.social, ids.a]), "sessions.revoke", options);
    expect(preview.ok && preview.rows).toEqual([
      { position: 2, input: ids.sharedStaff, status: "matched", userId: ids.sharedStaff, connection: STAFF_CONNECTION },
      { position: 3, input: "auth0|does-not-exist", status: "unknown", userId: null, connection: null },
      { position: 4, input: ids.social, status: "matched", userId: ids.social, connection: "google-oauth2" },
      { position: 5, input: ids.a, status: "matched", userId: ids.a, connection: DATABASE_CONNECTION },
    ]);
  });

  it("the batched preview of 5 emails is one search (plus the connections list), not 5 lookups", async () => {
    const before = (await h.stats()).requests;
    const preview = await previewBulkSource(h.api, csv("email", [a, b, unknown, SOCIAL_USER, shared]), "password.reset_email");
    expect(preview.ok).toBe(true);
    const after = (await h.stats()).requests;
    const delta = (route: string) => (after[route] ?? 0) - (before[route] ?? 0);
    expect([delta("GET /api/v2/users"), delta("GET /api/v2/users-by-email")]).toEqual([1, 0]);
  });
});
