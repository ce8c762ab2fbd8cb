import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { describeEachDatabase } from "./targets";

/**
 * Drift check without Prisma's schema engine (it cannot be downloaded here, and
 * @prisma/schema-engine-wasm is not installed): the database built by the committed migrations
 * must have exactly the tables, columns, types, nullability, defaults, enums, indexes and foreign
 * keys that schema.prisma describes — and the generated client must describe the same models.
 * A model or field added to the schema without a migration (or vice versa) fails here.
 */

type ExpectedColumn = { type: string; nullable: boolean; hasDefault: boolean };
type ExpectedModel = { columns: Map<string, ExpectedColumn>; indexes: Set<string>; foreignKeys: Set<string> };

const schemaText = readFileSync(path.resolve(import.meta.dirname, "../../../prisma/schema.prisma"), "utf8");

function blocks(kind: "model" | "enum"): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const match of schemaText.matchAll(new RegExp(`^${kind} (\\w+) \\{\\n([\\s\\S]*?)^\\}`, "gm"))) {
    const lines = (match[2] ?? "")
      .split("\n")
      .map((line) => line.replace(/\/\/.*$/, "").trim())
      .filter(Boolean);
    result.set(match[1] ?? "", lines);
  }
  return result;
}

const enums = blocks("enum");
const models = blocks("model");

function columnType(prismaType: string, attributes: string): string {
  const native = /@db\.(\w+)(?:\((\d+)\))?/.exec(attributes);
  if (enums.has(prismaType)) return `USER-DEFINED:${prismaType}`;
  switch (prismaType) {
    case "String":
      return native?.[1] === "Char" ? `character(${native[2]})` : "text";
    case "BigInt":
      return "bigint";
    case "Int":
      return "integer";
    case "Boolean":
      return "boolean";
    case "Json":
      return "jsonb";
    case "Bytes":
      return "bytea";
    case "DateTime":
      return native?.[1] === "Timestamptz"
        ? `timestamp with time zone(${native[2] ?? 6})`
        : "timestamp without time zone(3)";
    default:
      throw new Error(`drift test does not know Prisma type ${prismaType}; extend it`);
  }
}

function expectedModels(): Map<string, ExpectedModel> {
  const result = new Map<string, ExpectedModel>();
  for (const [model, lines] of models) {
    const expected: ExpectedModel = {
      columns: new Map(),
      indexes: new Set([`${model}_pkey`]),
      foreignKeys: new Set(),
    };
    for (const line of lines) {
      const blockIndex = /^@@(index|unique)\(\[([^\]]+)\]/.exec(line);
      if (blockIndex) {
        const fields = (blockIndex[2] ?? "").split(",").map((field) => field.trim());
        expected.indexes.add(`${model}_${fields.join("_")}_${blockIndex[1] === "unique" ? "key" : "idx"}`);
        continue;
      }
      const field = /^(\w+)\s+(\w+)(\[\]|\?)?\s*(.*)$/.exec(line);
      if (!field) continue;
      const [, name = "", type = "", modifier, attributes = ""] = field;
      if (models.has(type)) {
        const relation = /@relation\([^)]*fields:\s*\[(\w+)\]/.exec(attributes);
        if (relation) expected.foreignKeys.add(`${model}_${relation[1]}_fkey`);
        continue;
      }
      const clientSideDefault = /@default\((cuid|uuid|nanoid)\(/.test(attributes);
      expected.columns.set(name, {
        type: columnType(type, attributes),
        nullable: modifier === "?",
        hasDefault: attributes.includes("@default(") && !clientSideDefault,
      });
      if (/@unique\b/.test(attributes)) expected.indexes.add(`${model}_${name}_key`);
    }
    result.set(model, expected);
  }
  return result;
}

it("the generated client describes the models and fields of schema.prisma (run npm run prisma:generate)", () => {
  const expected = expectedModels();
  expect(Object.keys(Prisma.ModelName).sort()).toEqual([...expected.keys()].sort());
  const scalarEnums: Record<string, Record<string, string>> = {
    Operator: Prisma.OperatorScalarFieldEnum,
    SignInFailure: Prisma.SignInFailureScalarFieldEnum,
    IdempotencyKey: Prisma.IdempotencyKeyScalarFieldEnum,
    AuditEvent: Prisma.AuditEventScalarFieldEnum,
    AuditChainHead: Prisma.AuditChainHeadScalarFieldEnum,
    OperatorSession: Prisma.OperatorSessionScalarFieldEnum,
    OperatorTotp: Prisma.OperatorTotpScalarFieldEnum,
    OperatorRecoveryCode: Prisma.OperatorRecoveryCodeScalarFieldEnum,
    OperatorPasskey: Prisma.OperatorPasskeyScalarFieldEnum,
    WebAuthnChallenge: Prisma.WebAuthnChallengeScalarFieldEnum,
    BulkJob: Prisma.BulkJobScalarFieldEnum,
    BulkJobItem: Prisma.BulkJobItemScalarFieldEnum,
    PasswordApproval: Prisma.PasswordApprovalScalarFieldEnum,
  };
  for (const [model, { columns }] of expected) {
    expect(Object.keys(scalarEnums[model] ?? {}), model).toEqual([...columns.keys()]);
  }
});

describeEachDatabase("schema drift: migrations vs schema.prisma", (database) => {
  it("has exactly the schema's tables", async () => {
    const tables = await database().sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'`,
    );
    expect(tables.map((table) => table.table_name).sort()).toEqual([...models.keys()].sort());
  });

  it("has exactly the schema's enums and values", async () => {
    const rows = await database().sql.query<{ name: string; label: string }>(
      `SELECT t.typname AS name, e.enumlabel AS label FROM pg_type t
       JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = current_schema() ORDER BY t.typname, e.enumsortorder`,
    );
    const actual = new Map<string, string[]>();
    for (const row of rows) actual.set(row.name, [...(actual.get(row.name) ?? []), row.label]);
    const expected = new Map([...enums].map(([name, lines]) => [name, lines]));
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(expected));
  });

  for (const [model, expected] of expectedModels()) {
    it(`${model}: columns, types, nullability and defaults match`, async () => {
      const rows = await database().sql.query<{
        column_name: string;
        data_type: string;
        udt_name: string;
        is_nullable: string;
        column_default: string | null;
        character_maximum_length: number | null;
        datetime_precision: number | null;
      }>(
        `SELECT column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, datetime_precision
         FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
        [model],
      );
      const actual = rows.map((row) => {
        let type = row.data_type;
        if (type === "USER-DEFINED") type = `USER-DEFINED:${row.udt_name}`;
        if (type === "character") type = `character(${row.character_maximum_length})`;
        if (type.startsWith("timestamp")) type = `${type}(${row.datetime_precision})`;
        return [
          row.column_name,
          { type, nullable: row.is_nullable === "YES", hasDefault: row.column_default !== null },
        ];
      });
      expect(actual).toEqual([...expected.columns]);
    });

    it(`${model}: indexes and foreign keys match`, async () => {
      const indexes = await database().sql.query<{ indexname: string }>(
        `SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1`,
        [model],
      );
      expect(indexes.map((index) => index.indexname).sort()).toEqual([...expected.indexes].sort());
      const foreignKeys = await database().sql.query<{ constraint_name: string }>(
        `SELECT constraint_name FROM information_schema.table_constraints
         WHERE table_schema = current_schema() AND table_name = $1 AND constraint_type = 'FOREIGN KEY'`,
        [model],
      );
      expect(foreignKeys.map((key) => key.constraint_name).sort()).toEqual([...expected.foreignKeys].sort());
    });
  }
});
