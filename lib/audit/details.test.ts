import { describe, expect, it } from "vitest";
import {
  REDACTED,
  UnsafeAuditValueError,
  assertSafeText,
  findSecretLike,
  sanitizeAuditDetails,
} from "./details";

describe("sanitizeAuditDetails", () => {
  it("keeps allow-listed scalar keys and drops everything else", () => {
    expect(
      sanitizeAuditDetails({
        ttlSec: 300,
        httpStatus: 201,
        auth0ErrorCode: "PasswordStrengthError",
        generated: true,
        connection: null,
        password: "hunter2-hunter2",
        newPassword: "x",
        ticket: "https://t.example/lo/reset?ticket=abc",
        token: "abc",
        undefinedKey: undefined,
      }),
    ).toEqual({
      ttlSec: 300,
      httpStatus: 201,
      auth0ErrorCode: "PasswordStrengthError",
      generated: true,
      connection: null,
    });
  });

  it("refuses strings that carry a password, a reset link, a ticket or a token", () => {
    const unsafe = [
      "password=hunter2",
      "new password: hunter2",
      "https://tenant.auth0.com/lo/reset?ticket=abc123#",
      "see https://example.com/u/reset-password?ticket=x",
      "callback?code=abc&state=1",
      "Authorization: Bearer abcdefghijklmnop",
      "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
      "$argon2id$v=19$m=65536,t=3,p=4$abc",
    ];
    for (const value of unsafe) {
      expect(() => sanitizeAuditDetails({ auth0Message: value }), value).toThrow(UnsafeAuditValueError);
    }
  });

  it("never echoes the secret in the error", () => {
    try {
      sanitizeAuditDetails({ auth0Message: "password=hunter2" });
    } catch (error) {
      expect((error as Error).message).not.toContain("hunter2");
      expect((error as Error).message).toContain("details.auth0Message");
    }
  });

  it("redacts instead of refusing in redact mode", () => {
    expect(
      sanitizeAuditDetails({ auth0Message: "password=hunter2", httpStatus: 400 }, { mode: "redact" }),
    ).toEqual({
      auth0Message: REDACTED,
      httpStatus: 400,
    });
  });

  it("refuses exact values the caller says must not be logged", () => {
    expect(() =>
      sanitizeAuditDetails({ auth0Message: "weak: Tr0ub4dor&3" }, { mustNotContain: ["Tr0ub4dor&3"] }),
    ).toThrow(UnsafeAuditValueError);
  });

  it("lets ordinary Auth0 error messages through", () => {
    const message = "PasswordStrengthError: Password is too weak";
    expect(findSecretLike(message)).toBeUndefined();
    expect(sanitizeAuditDetails({ auth0Message: message })).toEqual({ auth0Message: message });
  });

  it("cuts long strings, strips NUL, and drops unsafe numbers", () => {
    const result = sanitizeAuditDetails({
      auth0Message: `a\u0000${"b".repeat(5_000)}`,
      durationMs: Number.NaN,
      rowCount: 2 ** 60,
    });
    expect(result.auth0Message).toHaveLength(1_000);
    expect(String(result.auth0Message)).not.toContain("\u0000");
    expect(result).not.toHaveProperty("durationMs");
    expect(result).not.toHaveProperty("rowCount");
  });
});

describe("assertSafeText", () => {
  it("refuses a reason that contains the password being set", () => {
    expect(() => assertSafeText("reason", "set it to S3cret!pass as asked", ["S3cret!pass"])).toThrow(
      UnsafeAuditValueError,
    );
    expect(() =>
      assertSafeText("reason", "Caller verified with date of birth", ["S3cret!pass"]),
    ).not.toThrow();
  });
});
