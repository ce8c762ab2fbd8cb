import { describe, expect, it } from "vitest";
import { createTicketSchema, sendResetEmailSchema, setPasswordSchema } from "./danger-zone";

const base = { userId: "auth0|abc", idempotencyKey: "5b0c2f0e-3c1d-4a8e-9f55-2f8a8d3b6c11" };

describe("password action schemas", () => {
  it("requires a reason of 5 to 500 characters (trimmed)", () => {
    expect(sendResetEmailSchema.safeParse({ ...base, reason: "abcd" }).success).toBe(false);
    expect(sendResetEmailSchema.safeParse({ ...base, reason: "   abcd   " }).success).toBe(false);
    expect(sendResetEmailSchema.safeParse({ ...base, reason: "abcde" }).success).toBe(true);
    expect(sendResetEmailSchema.safeParse({ ...base, reason: "x".repeat(500) }).success).toBe(true);
    expect(sendResetEmailSchema.safeParse({ ...base, reason: "x".repeat(501) }).success).toBe(false);
  });

  it("requires a UUID idempotency key", () => {
    expect(sendResetEmailSchema.safeParse({ ...base, idempotencyKey: "1", reason: "ticket 1" }).success).toBe(
      false,
    );
  });

  it("keeps the password as typed (no trimming) and bounds its length", () => {
    const parsed = setPasswordSchema.parse({ ...base, reason: "INC-1234", password: " spaced " });
    expect(parsed.password).toBe(" spaced ");
    expect(parsed.generated).toBe(false);
    expect(setPasswordSchema.safeParse({ ...base, reason: "INC-1234", password: "" }).success).toBe(false);
    expect(
      setPasswordSchema.safeParse({ ...base, reason: "INC-1234", password: "x".repeat(257) }).success,
    ).toBe(false);
  });

  it("defaults the ticket lifetime to 1 hour and bounds it to 15 minutes … 5 days", () => {
    const parsed = createTicketSchema.parse({ ...base, reason: "INC-1234" });
    expect(parsed).toMatchObject({ ttlSec: 3600, markEmailAsVerified: false });
    expect(parsed.resultUrl).toBeUndefined();
    expect(createTicketSchema.safeParse({ ...base, reason: "INC-1234", ttlSec: 899 }).success).toBe(false);
    expect(createTicketSchema.safeParse({ ...base, reason: "INC-1234", ttlSec: 900 }).success).toBe(true);
    expect(createTicketSchema.safeParse({ ...base, reason: "INC-1234", ttlSec: 432_000 }).success).toBe(true);
    expect(createTicketSchema.safeParse({ ...base, reason: "INC-1234", ttlSec: 432_001 }).success).toBe(
      false,
    );
    expect(createTicketSchema.safeParse({ ...base, reason: "INC-1234", ttlSec: 1000.5 }).success).toBe(false);
  });

  it("accepts only an empty or https result URL", () => {
    const ok = (resultUrl: string) =>
      createTicketSchema.safeParse({ ...base, reason: "INC-1234", resultUrl }).success;
    expect(ok("")).toBe(true);
    expect(
      createTicketSchema.parse({ ...base, reason: "INC-1234", resultUrl: "" }).resultUrl,
    ).toBeUndefined();
    expect(ok("https://app.example.com/done")).toBe(true);
    expect(ok("http://app.example.com/done")).toBe(false);
    expect(ok("javascript:alert(1)")).toBe(false);
    expect(ok("https://user:pw@app.example.com/")).toBe(false);
    expect(ok("not a url")).toBe(false);
  });
});
