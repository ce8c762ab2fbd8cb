import { describe, expect, it } from "vitest";
import { diagnose, type DiagnosisLogEvent, type DiagnosisUser } from "./diagnosis";

const NOW = Date.parse("2026-12-02T12:00:00.000Z");

const databaseUser: DiagnosisUser = {
  blocked: false,
  emailVerified: true,
  email: "ana@example.com",
  identities: [{ connection: "Username-Password-Authentication", provider: "auth0", type: "database" }],
  databaseIdentity: { connection: "Username-Password-Authentication" },
};

function log(type: string, date: string, ip: string | null = "203.0.113.7"): DiagnosisLogEvent {
  return { type, date, ip, clientName: "Shop", connection: "Username-Password-Authentication" };
}

function wrongPasswords(count: number, startMinute: number, ip = "203.0.113.7"): DiagnosisLogEvent[] {
  return Array.from({ length: count }, (_, i) =>
    log("fp", `2026-12-02T11:${String(startMinute + i).padStart(2, "0")}:00.000Z`, ip),
  );
}

describe("diagnose", () => {
  it("reports a brute-force lock with when, how many attempts and which IP", () => {
    const logs = [...wrongPasswords(10, 10), log("limit_wc", "2026-12-02T11:25:00.000Z")];
    expect(diagnose(databaseUser, [{ identifier: "ana@example.com", ip: "203.0.113.7" }], logs, NOW)).toEqual({
      cause: "brute_force_locked",
      lockedAt: "2026-12-02T11:25:00.000Z",
      attempts: 10,
      ips: ["203.0.113.7"],
      fixAction: "unblock",
    });
  });

  it("dates the lock by the last wrong password when no limit_wc was logged, and counts only the run after the last success", () => {
    const logs = [...wrongPasswords(3, 0), log("s", "2026-12-02T11:05:00.000Z"), ...wrongPasswords(10, 10)];
    expect(diagnose(databaseUser, [{ identifier: "ana@example.com", ip: "203.0.113.7" }], logs, NOW)).toEqual({
      cause: "brute_force_locked",
      lockedAt: "2026-12-02T11:19:00.000Z",
      attempts: 10,
      ips: ["203.0.113.7"],
      fixAction: "unblock",
    });
  });

  it("an account lockout without an IP applies to every IP (no IP listed); logs unavailable still name the lock", () => {
    expect(diagnose(databaseUser, [{ identifier: "ana@example.com", ip: null }], null, NOW)).toEqual({
      cause: "brute_force_locked",
      lockedAt: null,
      attempts: 0,
      ips: [],
      fixAction: "unblock",
    });
  });

  it("an admin block comes first, even with a brute-force lock", () => {
    expect(
      diagnose({ ...databaseUser, blocked: true }, [{ identifier: "ana@example.com", ip: "203.0.113.7" }], [], NOW),
    ).toEqual({ cause: "admin_blocked", fixAction: "admin_unblock" });
  });

  it("names the provider of a social or enterprise user", () => {
    const user: DiagnosisUser = {
      ...databaseUser,
      identities: [
        { connection: "google-oauth2", provider: "google-oauth2", type: "social" },
        { connection: "acme-saml", provider: "samlp", type: "enterprise" },
      ],
      databaseIdentity: null,
    };
    expect(diagnose(user, [], wrongPasswords(2, 0), NOW)).toEqual({
      cause: "external_only",
      providers: ["google-oauth2", "acme-saml"],
      fixAction: null,
    });
  });

  it("reports recent wrong passwords below the threshold, from every IP", () => {
    const logs = [...wrongPasswords(2, 0), ...wrongPasswords(1, 30, "198.51.100.2")];
    expect(diagnose(databaseUser, [], logs, NOW)).toEqual({
      cause: "wrong_password",
      attempts: 3,
      lastAttemptAt: "2026-12-02T11:30:00.000Z",
      ips: ["203.0.113.7", "198.51.100.2"],
      fixAction: "reset_password",
    });
  });

  it("a password change or success after wrong passwords ends the run", () => {
    expect(diagnose(databaseUser, [], [...wrongPasswords(4, 0), log("scp", "2026-12-02T11:40:00.000Z")], NOW)).toEqual({
      cause: "no_recent_failures",
      logsChecked: true,
      fixAction: null,
    });
  });

  it("ignores wrong passwords older than seven days", () => {
    expect(diagnose(databaseUser, [], [log("fp", "2026-11-24T11:00:00.000Z")], NOW)).toEqual({
      cause: "no_recent_failures",
      logsChecked: true,
      fixAction: null,
    });
  });

  it("reports an unverified email when nothing failed", () => {
    expect(diagnose({ ...databaseUser, emailVerified: false }, [], [log("s", "2026-12-02T10:00:00.000Z")], NOW)).toEqual({
      cause: "email_unverified",
      email: "ana@example.com",
      fixAction: "resend_verification",
    });
  });

  it("no recent failures, and says when the logs could not be checked", () => {
    expect(diagnose(databaseUser, [], [], NOW)).toEqual({ cause: "no_recent_failures", logsChecked: true, fixAction: null });
    expect(diagnose(databaseUser, null, null, NOW)).toEqual({
      cause: "no_recent_failures",
      logsChecked: false,
      fixAction: null,
    });
  });
});
