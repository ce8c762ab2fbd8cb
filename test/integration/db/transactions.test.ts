import { setImmediate as yieldToOthers } from "node:timers/promises";
import { beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "./targets";

/**
 * PGlite is a single connection: Prisma's interactive transactions must queue, not interleave
 * (interleaving on one connection would mix their statements into one transaction).
 */
describeEachDatabase("interactive transactions under concurrency", (database, target) => {
  beforeAll(async () => {
    await database().sql.exec(`CREATE TABLE "TxCounter" ("id" INTEGER PRIMARY KEY, "value" INTEGER NOT NULL);
      INSERT INTO "TxCounter" VALUES (1, 0);`);
  });

  it("50 concurrent read-modify-write transactions lose no update", async () => {
    const { prisma } = database();
    let active = 0;
    let maxActive = 0;
    await Promise.all(
      Array.from({ length: 50 }, () =>
        prisma.$transaction(async (tx) => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          const [row] = await tx.$queryRaw<
            { value: number }[]
          >`SELECT "value" FROM "TxCounter" WHERE "id" = 1 FOR UPDATE`;
          // Let every other caller run (its I/O and callbacks) before this one writes: no fixed sleep.
          // (Without FOR UPDATE, PostgreSQL loses updates here: 6 of 50 were counted.)
          await yieldToOthers();
          await tx.$executeRaw`UPDATE "TxCounter" SET "value" = ${(row?.value ?? 0) + 1} WHERE "id" = 1`;
          active -= 1;
        }),
      ),
    );
    const [row] = await prisma.$queryRaw<{ value: number }[]>`SELECT "value" FROM "TxCounter" WHERE "id" = 1`;
    expect(row?.value).toBe(50);
    // On PGlite they ran strictly one after another; PostgreSQL may run them in parallel (row lock).
    if (target.postgresUrl === undefined) expect(maxActive).toBe(1);
  });

  it("a failing transaction rolls back and does not block the others", async () => {
    const { prisma } = database();
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, index) =>
        prisma.$transaction(async (tx) => {
          await tx.$executeRaw`UPDATE "TxCounter" SET "value" = "value" + 1 WHERE "id" = 1`;
          if (index % 2 === 0) throw new Error("boom");
        }),
      ),
    );
    expect(results.filter((result) => result.status === "rejected")).toHaveLength(10);
    const [row] = await prisma.$queryRaw<{ value: number }[]>`SELECT "value" FROM "TxCounter" WHERE "id" = 1`;
    expect(row?.value).toBe(60);
    // And plain queries still work afterwards.
    expect(await prisma.operator.count()).toBe(0);
  });
});
