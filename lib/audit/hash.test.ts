import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GENESIS_HASH, hashAuditEvent, serializeAuditEvent } from "./hash";
import type { HashableAuditEvent } from "./hash";

const event: HashableAuditEvent = {
  sequence: 7n,
  time: new Date("2026-03-04T05:06:07.089Z"),
  actorOperatorId: "op_1",
  actorEmail: "admin@passdesk.test",
  actorRole: "ADMIN",
  action: "password.set",
  outcome: "PENDING",
  relatedSequence: null,
  targetUserId: "auth0|abc",
  targetEmail: "user@example.com",
  targetConnection: "Username-Password-Authentication",
  reason: "Caller verified by phone",
  requestId: "req-1",
  ip: "203.0.113.9",
  userAgent: "Mozilla/5.0",
  details: { idempotencyKey: "k1", connection: "Username-Password-Authentication" },
  prevHash: GENESIS_HASH,
};

describe("hashAuditEvent", () => {
  it("is SHA-256 hex of the canonical serialization", () => {
    const expected = createHash("sha256").update(serializeAuditEvent(event)).digest("hex");
    expect(hashAuditEvent(event)).toBe(expected);
    expect(hashAuditEvent(event)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("pins the serialization format (a change here breaks every stored chain)", () => {
    expect(serializeAuditEvent(event)).toBe(
      '{"action":"password.set","actorEmail":"admin@passdesk.test","actorOperatorId":"op_1","actorRole":"ADMIN",' +
        '"details":{"connection":"Username-Password-Authentication","idempotencyKey":"k1"},"ip":"203.0.113.9",' +
        '"outcome":"PENDING","prevHash":"' +
        GENESIS_HASH +
        '","reason":"Caller verified by phone",' +
        '"relatedSequence":null,"requestId":"req-1","sequence":"7","targetConnection":"Username-Password-Authentication",' +
        '"targetEmail":"user@example.com","targetUserId":"auth0|abc","time":"2026-03-04T05:06:07.089Z",' +
        '"userAgent":"Mozilla/5.0","v":1}',
    );
  });

  it("does not depend on the key order of details (JSONB reorders them)", () => {
    const reordered = {
      ...event,
      details: { connection: "Username-Password-Authentication", idempotencyKey: "k1" },
    };
    expect(hashAuditEvent(reordered)).toBe(hashAuditEvent(event));
  });

  it("changes when any field changes, including the previous hash", () => {
    const base = hashAuditEvent(event);
    const variants: HashableAuditEvent[] = [
      { ...event, sequence: 8n },
      { ...event, time: new Date(event.time.getTime() + 1) },
      { ...event, actorEmail: "other@passdesk.test" },
      { ...event, reason: "Caller verified by phone." },
      { ...event, outcome: "SUCCEEDED" },
      { ...event, relatedSequence: 6n },
      { ...event, targetUserId: null },
      { ...event, details: { idempotencyKey: "k2", connection: "Username-Password-Authentication" } },
      { ...event, prevHash: "1".repeat(64) },
    ];
    for (const variant of variants) expect(hashAuditEvent(variant)).not.toBe(base);
  });

  it("treats null and empty string differently", () => {
    expect(hashAuditEvent({ ...event, reason: "" })).not.toBe(hashAuditEvent({ ...event, reason: null }));
  });
});
