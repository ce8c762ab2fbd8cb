import { vi } from "vitest";
import type { OperatorIdentity } from "@/lib/auth/operator-service";
import type * as Db from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type * as DangerZoneDepsModule from "@/lib/danger-zone/deps";
import type * as MfaGate from "@/lib/auth/mfa/gate";

/**
 * The one preamble for tests that call server actions and route handlers in-process, as Next
 * would. Import it FIRST in the test file (before any app module): importing it stubs only the
 * framework edges — the session (next-auth: signed in as `edges.operator`), request headers,
 * translations (keys come back as `namespace.key`), revalidation. The operator lookup (the
 * session's operator must exist and be enabled in the database), the permission table,
 * validation, services, database and tenant stay real.
 *
 * Step-up: the session counts as freshly authenticated while `edges.sessionFresh` is true (the
 * default — these tests act right after signing in). The freshness rule itself (STEP_UP_MINUTES,
 * the session's authenticatedAt) is tested in test/integration/auth with a real session record.
 *
 * `edges.dangerZoneDeps` / `edges.prisma`, when set, are what getDangerZoneDeps / getPrisma return
 * (the harness's tenant clients and database); unset, the real ones answer.
 */
export type AppEdges = {
  operator: OperatorIdentity | null;
  /** The x-request-id every request carries (a test's own, to find its log lines). */
  requestId: string;
  dangerZoneDeps: DangerZoneDepsModule.DangerZoneDeps | undefined;
  prisma: PrismaClient | undefined;
  sessionFresh: boolean;
};

// Hoisted with the vi.mock calls below (a hoisted value cannot be exported in the same statement).
const state: AppEdges = vi.hoisted(() => ({
  operator: null,
  requestId: "req-test",
  dangerZoneDeps: undefined,
  prisma: undefined,
  sessionFresh: true,
}));
export { state as edges };

vi.mock("next-auth", () => ({
  getServerSession: async () => (state.operator ? { user: { id: state.operator.id } } : null),
}));
// No session check ran here: lib/auth/session.ts reads the operator itself (findActiveOperator).
vi.mock("@/lib/auth/options", () => ({ getAuthOptions: () => ({}), checkedSessionOperator: () => undefined }));
vi.mock("next/headers", () => ({
  headers: async () => new Headers({ "x-request-id": state.requestId, "user-agent": "vitest" }),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("next-intl/server", () => ({
  getTranslations: async (namespace?: string) => (key: string) => `${namespace ?? ""}.${key}`,
  getFormatter: async () => ({ dateTime: (date: Date) => date.toISOString() }),
}));
vi.mock("@/lib/danger-zone/deps", async (importOriginal) => {
  const original = await importOriginal<typeof DangerZoneDepsModule>();
  return {
    ...original,
    getDangerZoneDeps: async () => state.dangerZoneDeps ?? original.getDangerZoneDeps(),
  };
});
vi.mock("@/lib/db", async (importOriginal) => {
  const original = await importOriginal<typeof Db>();
  return { ...original, getPrisma: async () => state.prisma ?? original.getPrisma() };
});
// The session cookie is not there in-process: its freshness for step-up is `edges.sessionFresh`.
vi.mock("@/lib/auth/mfa/gate", async (importOriginal) => {
  const original = await importOriginal<typeof MfaGate>();
  return { ...original, isCurrentSessionFresh: async () => state.sessionFresh };
});
