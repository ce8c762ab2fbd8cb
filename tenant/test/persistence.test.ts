import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { passwordGrant, startTestTenant, uniqueEmail } from "./helpers.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("snapshot and restore", () => {
  it("keeps users, passwords and the CA across a restart; the snapshot holds no plaintext", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "passdesk-tenant-persist-"));
    dirs.push(dataDir);
    const first = await startTestTenant({ dataDir, persist: true, users: 200 });
    const email = uniqueEmail("persist");
    await first.management.users.create({
      connection: "Username-Password-Authentication",
      email,
      password: "Persisted-Pass-1!",
    });
    const caPem = first.tenant.caPem;
    await first.close();

    const snapshot = await readFile(join(dataDir, "tenant", "state.json"), "utf8");
    expect(snapshot).toContain(email);
    expect(snapshot).not.toContain("Persisted-Pass-1!");
    expect(snapshot).not.toContain("Passdesk-Seed-1!");

    const second = await startTestTenant({ dataDir, persist: true, users: 200 });
    try {
      expect(second.tenant.caPem).toBe(caPem);
      const found = await second.management.users.listUsersByEmail({ email });
      expect(found).toHaveLength(1);
      expect((await passwordGrant(second, email, "Persisted-Pass-1!")).status).toBe(200);
      const page = await second.management.users.list({ include_totals: true, per_page: 1 });
      expect(page.response.total).toBe(201);
    } finally {
      await second.close();
    }
  });

  it("POST /__control/reset reseeds to the initial state", async () => {
    const t = await startTestTenant({ users: 50 });
    try {
      const email = uniqueEmail("reseed");
      await t.management.users.create({
        connection: "Username-Password-Authentication",
        email,
        password: "Reseed-Pass-1!",
      });
      expect((await t.control("POST", "/reset")).status).toBe(200);
      expect(await t.management.users.listUsersByEmail({ email })).toEqual([]);
      expect((await t.management.users.list({ per_page: 1 })).response.total).toBe(50);
    } finally {
      await t.close();
    }
  });

  it("is deterministic: the same seed yields the same users", async () => {
    const a = await startTestTenant({ users: 30, seed: 7 });
    const b = await startTestTenant({ users: 30, seed: 7 });
    try {
      const usersA = (await a.management.users.list({ per_page: 30 })).data.map((u) => [
        u.user_id,
        u.email,
        u.logins_count,
      ]);
      const usersB = (await b.management.users.list({ per_page: 30 })).data.map((u) => [
        u.user_id,
        u.email,
        u.logins_count,
      ]);
      expect(usersA).toEqual(usersB);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
