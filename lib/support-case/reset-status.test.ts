import { describe, expect, it } from "vitest";
import { resetStatuses, type ResetOperation } from "./reset-status";

const NOW = Date.parse("2026-12-02T12:00:00.000Z");

function email(sequence: string, sentAt: string, outcome = "SUCCEEDED"): ResetOperation {
  return { sequence, kind: "email", sentAt, outcome, actorEmail: "ana@passdesk.test", ttlSec: null, expiresAt: null };
}

function ticket(sequence: string, sentAt: string, ttlSec: number): ResetOperation {
  return { sequence, kind: "ticket", sentAt, outcome: "SUCCEEDED", actorEmail: "bo@passdesk.test", ttlSec, expiresAt: null };
}

const noChanges = { lastPasswordReset: null, changeLogDates: [] };

describe("resetStatuses", () => {
  it("a fresh reset email is waiting, with Auth0's default 5-day lifetime", () => {
    expect(resetStatuses([email("7", "2026-12-02T11:00:00.000Z")], noChanges, NOW)).toEqual([
      {
        sequence: "7",
        kind: "email",
        sentAt: "2026-12-02T11:00:00.000Z",
        actorEmail: "ana@passdesk.test",
        state: "waiting",
        expiresAt: "2026-12-07T11:00:00.000Z",
        lifetimeSource: "default",
        at: null,
        unknownReason: null,
      },
    ]);
  });

  it("a password change after the email marks it used (from the scp log)", () => {
    const [status] = resetStatuses(
      [email("7", "2026-12-02T11:00:00.000Z")],
      { lastPasswordReset: null, changeLogDates: ["2026-12-02T11:04:00.000Z"] },
      NOW,
    );
    expect(status).toMatchObject({ state: "used", at: "2026-12-02T11:04:00.000Z" });
  });

  it("last_password_reset alone is enough when the logs could not be read", () => {
    const [status] = resetStatuses(
      [email("7", "2026-12-02T11:00:00.000Z")],
      { lastPasswordReset: "2026-12-02T11:09:00.000Z", changeLogDates: null },
      NOW,
    );
    expect(status).toMatchObject({ state: "used", at: "2026-12-02T11:09:00.000Z" });
  });

  it("a second email supersedes the first; newest first", () => {
    const statuses = resetStatuses(
      [email("7", "2026-12-02T11:00:00.000Z"), email("9", "2026-12-02T11:30:00.000Z")],
      noChanges,
      NOW,
    );
    expect(statuses.map((s) => [s.sequence, s.state, s.at])).toEqual([
      ["9", "waiting", null],
      ["7", "superseded", "2026-12-02T11:30:00.000Z"],
    ]);
  });

  it("a change after the second email uses the second, the first stays superseded", () => {
    const statuses = resetStatuses(
      [email("7", "2026-12-02T11:00:00.000Z"), email("9", "2026-12-02T11:30:00.000Z")],
      { lastPasswordReset: "2026-12-02T11:45:00.000Z", changeLogDates: ["2026-12-02T11:45:00.000Z"] },
      NOW,
    );
    expect(statuses.map((s) => [s.sequence, s.state])).toEqual([
      ["9", "used"],
      ["7", "superseded"],
    ]);
  });

  it("a link past its recorded ttl is expired; a change after expiry does not count as its use", () => {
    const statuses = resetStatuses(
      [ticket("3", "2026-12-02T08:00:00.000Z", 3600)],
      { lastPasswordReset: "2026-12-02T10:00:00.000Z", changeLogDates: [] },
      NOW,
    );
    expect(statuses).toEqual([
      {
        sequence: "3",
        kind: "ticket",
        sentAt: "2026-12-02T08:00:00.000Z",
        actorEmail: "bo@passdesk.test",
        state: "expired",
        expiresAt: "2026-12-02T09:00:00.000Z",
        lifetimeSource: "recorded",
        at: null,
        unknownReason: null,
      },
    ]);
  });

  it("a recorded expiresAt wins over the ttl", () => {
    const op = { ...ticket("3", "2026-12-02T11:00:00.000Z", 3600), expiresAt: "2026-12-02T11:30:00.000Z" };
    expect(resetStatuses([op], noChanges, NOW)[0]).toMatchObject({ state: "expired", expiresAt: "2026-12-02T11:30:00.000Z" });
  });

  it("an operation whose outcome is unknown is unknown; a failed one is left out", () => {
    const statuses = resetStatuses(
      [email("5", "2026-12-02T10:00:00.000Z", "FAILED"), email("7", "2026-12-02T11:00:00.000Z", "UNKNOWN")],
      noChanges,
      NOW,
    );
    expect(statuses.map((s) => [s.sequence, s.state, s.unknownReason])).toEqual([["7", "unknown", "outcome_unknown"]]);
  });

  it("a password change before the email does not mark it used", () => {
    const [status] = resetStatuses(
      [email("7", "2026-12-02T11:00:00.000Z")],
      { lastPasswordReset: "2026-12-01T09:00:00.000Z", changeLogDates: ["2026-12-01T09:00:00.000Z"] },
      NOW,
    );
    expect(status).toMatchObject({ state: "waiting" });
  });
});
