import { describe, expect, it } from "vitest";
import { DEMO_M2M_CLIENT_ID } from "../src/demo-credentials.ts";
import { createDatabaseUser, expectError, setUpTestTenant, uniqueEmail } from "./helpers.ts";

const t = setUpTestTenant();

type Log = {
  log_id: string;
  date: string;
  type: string;
  user_id?: string;
  description: string;
  client_id?: string;
  details?: Record<string, unknown>;
};

describe("GET /api/v2/logs", () => {
  it("records sapi, scp and fcp for Management API password changes, filterable by type and user_id", async () => {
    const { id } = await createDatabaseUser(t, "logs");
    await t.management.users.update(id, { password: "Logged-Pass-2!" });
    await expectError(() => t.noRetry.users.update(id, { password: "weak" }));

    const scp = await t.management.logs.list({ search: `type:scp AND user_id:"${id}"` });
    expect(scp.data).toHaveLength(1);
    const event = scp.data[0] as Log;
    expect(event.type).toBe("scp");
    expect(event.user_id).toBe(id);
    expect(event.client_id).toBe(DEMO_M2M_CLIENT_ID);
    expect(event.date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(event.log_id).toMatch(/^\d{56}$/);

    const fcp = await t.management.logs.list({ search: `type:fcp AND user_id:"${id}"` });
    expect((fcp.data[0] as Log | undefined)?.description).toBe("PasswordStrengthError: Password is too weak");

    const sapi = await t.management.logs.list({ search: "type:sapi", per_page: 100 });
    const update = (sapi.data as Log[]).find(
      (l) =>
        JSON.stringify(l.details).includes(encodeURIComponent(id)) || JSON.stringify(l.details).includes(id),
    );
    expect(update?.description).toBe("Update a User");
    expect(JSON.stringify(sapi.data)).not.toContain("Logged-Pass-2!");
  });

  it("records scpr for a reset email and scp when the link is used", async () => {
    const { email, user: created } = await createDatabaseUser(t, "logs-email");
    await t.authentication.database.changePassword({ email, connection: "Username-Password-Authentication" });
    const scpr = await t.management.logs.list({ search: `type:scpr AND user_id:"${created.user_id}"` });
    expect(scpr.data).toHaveLength(1);
    const unknown = uniqueEmail("nobody");
    await t.authentication.database.changePassword({
      email: unknown,
      connection: "Username-Password-Authentication",
    });
    const fcpr = await t.management.logs.list({ search: "type:fcpr", per_page: 100 });
    expect(fcpr.data.length).toBeGreaterThan(0);
  });

  it("sorts newest first by default, pages, and supports date:1", async () => {
    const desc = await t.management.logs.list({ per_page: 5 });
    const dates = (desc.data as Log[]).map((l) => l.log_id);
    expect(dates).toEqual([...dates].sort().reverse());
    const asc = await t.management.logs.list({ per_page: 5, sort: "date:1" });
    const ascIds = (asc.data as Log[]).map((l) => l.log_id);
    expect(ascIds).toEqual([...ascIds].sort());
    expect(desc.response).toMatchObject({ start: 0, limit: 5 });
  });

  it("requires read:logs", async () => {
    const response = await t.fetch(`${t.tenant.url}/api/v2/logs`);
    expect(response.status).toBe(401);
  });
});
