import { createHash } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { MigrationError, defaultMigrationsDir, readMigrations } from "@/lib/db/migrate";
import { describeEachDatabase } from "./targets";

type MigrationRow = {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
  applied_steps_count: number;
};

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function copyOfMigrations(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), "passdesk-migrations-"));
  folders.push(folder);
  cpSync(defaultMigrationsDir(), folder, { recursive: true });
  return folder;
}

describeEachDatabase("migrations", (database) => {
  it("records every migration exactly like prisma migrate deploy", async () => {
    const rows = await database().sql.query<MigrationRow>(
      `SELECT * FROM "_prisma_migrations" ORDER BY "migration_name"`,
    );
    const files = readMigrations();
    expect(files.map((file) => file.name)).toEqual(["0001_init", "0002_audit_append_only", "0003_operator_sessions", "0004_idempotency_input_hash", "0006_operator_mfa", "0008_bulk_jobs", "0009_operator_scope", "0010_protected_approvals"]);
    expect(rows.map((row) => row.migration_name)).toEqual(files.map((file) => file.name));
    for (const [index, row] of rows.entries()) {
      const script = readFileSync(path.join(defaultMigrationsDir(), row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(script).digest("hex"));
      expect(row.checksum).toBe(files[index]?.checksum);
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
    }
  });

  it("has the same bookkeeping table as Prisma", async () => {
    const columns = await database().sql.query<{
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      `SELECT column_name, data_type, is_nullable FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns.map((column) => [column.column_name, column.data_type, column.is_nullable])).toEqual([
      ["id", "character varying", "NO"],
      ["checksum", "character varying", "NO"],
      ["finished_at", "timestamp with time zone", "YES"],
      ["migration_name", "character varying", "NO"],
      ["logs", "text", "YES"],
      ["rolled_back_at", "timestamp with time zone", "YES"],
      ["started_at", "timestamp with time zone", "NO"],
      ["applied_steps_count", "integer", "NO"],
    ]);
  });

  it("re-applies idempotently: nothing new, no new rows", async () => {
    const { sql } = database();
    const before = await sql.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM "_prisma_migrations"`,
    );
    const again = await database().migrate();
    expect(again.applied).toEqual([]);
    expect(again.skipped).toEqual(["0001_init", "0002_audit_append_only", "0003_operator_sessions", "0004_idempotency_input_hash", "0006_operator_mfa", "0008_bulk_jobs", "0009_operator_scope", "0010_protected_approvals"]);
    const after = await sql.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM "_prisma_migrations"`,
    );
    expect(after).toEqual(before);
  });

  it("refuses when an applied migration was modified", async () => {
    const folder = copyOfMigrations();
    appendFileSync(path.join(folder, "0001_init", "migration.sql"), "\n-- an innocent-looking edit\n");
    const attempt = database().migrate({ migrationsDir: folder });
    await expect(attempt).rejects.toBeInstanceOf(MigrationError);
    await expect(attempt).rejects.toThrow(/0001_init was modified after it was applied/);
  });

  it("accepts the same file with CRLF line endings (as Prisma does)", async () => {
    const folder = copyOfMigrations();
    const file = path.join(folder, "0002_audit_append_only", "migration.sql");
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n/g, "\r\n"));
    const result = await database().migrate({ migrationsDir: folder });
    expect(result.applied).toEqual([]);
  });

  it("rolls a failing migration back completely and records nothing", async () => {
    const folder = copyOfMigrations();
    mkdirSync(path.join(folder, "0005_broken"));
    writeFileSync(
      path.join(folder, "0005_broken", "migration.sql"),
      'CREATE TABLE "Scratch" ("id" INTEGER);\nSELECT "no_such_function"();\n',
    );
    await expect(database().migrate({ migrationsDir: folder })).rejects.toThrow(
      /0005_broken failed and was rolled back/,
    );
    const { sql } = database();
    const scratch = await sql.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'Scratch'`,
    );
    expect(scratch).toEqual([]);
    const rows = await sql.query(`SELECT 1 FROM "_prisma_migrations" WHERE "migration_name" = '0005_broken'`);
    expect(rows).toEqual([]);
  });

  it("refuses to continue after a migration the Prisma CLI left failed", async () => {
    const { sql } = database();
    await sql.query(
      `INSERT INTO "_prisma_migrations" ("id", "checksum", "migration_name", "applied_steps_count")
       VALUES ('00000000-0000-4000-8000-000000000000', 'x', '0000_failed_by_cli', 0)`,
    );
    try {
      await expect(database().migrate()).rejects.toThrow(/0000_failed_by_cli failed earlier/);
    } finally {
      await sql.query(`DELETE FROM "_prisma_migrations" WHERE "migration_name" = '0000_failed_by_cli'`);
    }
  });
});
