import { describe, expect, it } from "vitest";
import { gatedTerms, isSameTerms, optionsOf, termsOfRow } from "./terms";

describe("approval terms", () => {
  it("the same operation with the same options matches; any other option does not", () => {
    const ticket = { operation: "password.ticket", ttlSec: 3600, markEmailAsVerified: false, resultUrl: null } as const;
    expect(isSameTerms(ticket, { ...ticket })).toBe(true);
    expect(isSameTerms(ticket, { ...ticket, ttlSec: 86_400 })).toBe(false);
    expect(isSameTerms(ticket, { ...ticket, markEmailAsVerified: true })).toBe(false);
    expect(isSameTerms(ticket, { ...ticket, resultUrl: "https://app.example.com/done" })).toBe(false);
    expect(isSameTerms({ operation: "password.set", signOutEverywhere: true }, { operation: "password.set", signOutEverywhere: false })).toBe(false);
    expect(isSameTerms({ operation: "password.reset_email" }, { operation: "password.set", signOutEverywhere: false })).toBe(false);
  });

  it("stores the options without the operation and reads them back; a row that no longer parses is never usable", () => {
    expect(optionsOf({ operation: "password.set", signOutEverywhere: true })).toEqual({ signOutEverywhere: true });
    expect(termsOfRow({ operation: "password.set", terms: { signOutEverywhere: true } })).toEqual({ operation: "password.set", signOutEverywhere: true });
    expect(termsOfRow({ operation: "password.set", terms: { signOutEverywhere: true, password: "x" } })).toBeNull();
    expect(termsOfRow({ operation: "password.force_reset", terms: {} })).toBeNull();
  });

  it("a bulk job's item has no gate of its own (its job was approved); everything else has", () => {
    const terms = { operation: "password.reset_email" } as const;
    expect(gatedTerms({ auditDetails: { bulkJobId: "job1" } }, terms)).toBeUndefined();
    expect(gatedTerms({}, terms)).toEqual(terms);
  });
});
