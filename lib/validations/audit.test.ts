import { describe, expect, it } from "vitest";
import {
  DEFAULT_AUDIT_STATE,
  auditStateFromParams,
  auditStateToParams,
  dayAfter,
  dayStart,
  hasAuditFilters,
  isCalendarDay,
  parseAuditQuery,
  type AuditSearchState,
} from "./audit";

const FULL: AuditSearchState = {
  actor: "support@passdesk.test",
  target: "samlp|acme|jane@example.com",
  action: "password.set",
  outcome: "unknown",
  from: "2025-01-31",
  to: "2025-02-28",
  view: "events",
  scopeOf: "cm3scopedoperator000001",
  cursor: "812",
};

describe("isCalendarDay", () => {
  it("accepts real days and rejects impossible or malformed ones", () => {
    expect(isCalendarDay("2024-02-29")).toBe(true);
    expect(isCalendarDay("2025-02-29")).toBe(false);
    expect(isCalendarDay("2025-13-01")).toBe(false);
    expect(isCalendarDay("2025-1-01")).toBe(false);
    expect(isCalendarDay("2025-01-01T00:00")).toBe(false);
    expect(isCalendarDay("")).toBe(false);
  });
});

describe("parseAuditQuery (strict, route handlers)", () => {
  it("defaults every filter when the query is empty or blank", () => {
    const empty = parseAuditQuery(new URLSearchParams(""));
    const blanks = parseAuditQuery(new URLSearchParams("actor=&target=&action=&outcome=&from=&to=&cursor="));
    expect(empty.success && empty.data).toEqual({ state: DEFAULT_AUDIT_STATE, limit: 50 });
    expect(blanks.success && blanks.data).toEqual({ state: DEFAULT_AUDIT_STATE, limit: 50 });
  });

  it("round-trips a full state through the URL", () => {
    const parsed = parseAuditQuery(auditStateToParams(FULL));
    expect(parsed.success && parsed.data.state).toEqual(FULL);
  });

  it("trims text filters and takes the first of repeated parameters", () => {
    const parsed = parseAuditQuery(new URLSearchParams("actor=%20a@b.c%20&actor=other@b.c"));
    expect(parsed.success && parsed.data.state.actor).toBe("a@b.c");
  });

  it.each([
    ["action=password.delete", "action"],
    ["outcome=PENDING", "outcome"],
    ["from=2025-02-30", "from"],
    ["to=yesterday", "to"],
    ["from=2025-03-01&to=2025-02-01", "to"],
    ["cursor=0", "cursor"],
    ["scopeOf=not%20an%20id!", "scopeOf"],
    ["cursor=-5", "cursor"],
    ["cursor=12abc", "cursor"],
    // One past PostgreSQL's bigint maximum: 19 digits like a valid sequence, but out of range.
    ["cursor=9223372036854775808", "cursor"],
    ["cursor=9999999999999999999", "cursor"],
    ["view=raw", "view"],
    ["limit=0", "limit"],
    ["limit=201", "limit"],
    [`actor=${"a".repeat(321)}`, "actor"],
    [`target=${"t".repeat(513)}`, "target"],
  ])("rejects %s naming the parameter", (query, parameter) => {
    const parsed = parseAuditQuery(new URLSearchParams(query));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual([parameter]);
  });

  it("accepts a same-day range and the page size bounds", () => {
    expect(parseAuditQuery(new URLSearchParams("from=2025-03-01&to=2025-03-01")).success).toBe(true);
    const parsed = parseAuditQuery(new URLSearchParams("limit=200"));
    expect(parsed.success && parsed.data.limit).toBe(200);
  });

  it("ignores parameters it does not know (format belongs to the export route)", () => {
    const parsed = parseAuditQuery(new URLSearchParams("format=csv&event=12"));
    expect(parsed.success && parsed.data.state).toEqual(DEFAULT_AUDIT_STATE);
  });
});

describe("auditStateFromParams (lenient, the page)", () => {
  it("reads Next's searchParams record shape", () => {
    expect(auditStateFromParams({ actor: ["x@y.z", "ignored"], outcome: "failed", view: undefined })).toEqual(
      {
        ...DEFAULT_AUDIT_STATE,
        actor: "x@y.z",
        outcome: "failed",
      },
    );
  });

  it("accepts the largest bigint sequence as a cursor", () => {
    const parsed = parseAuditQuery(new URLSearchParams("cursor=9223372036854775807"));
    expect(parsed.success && parsed.data.state.cursor).toBe("9223372036854775807");
  });

  it("drops a cursor beyond the bigint range from a hand-edited link", () => {
    expect(auditStateFromParams(new URLSearchParams("cursor=9223372036854775808")).cursor).toBe("");
  });

  it("drops only the bad values of a hand-edited link", () => {
    const state = auditStateFromParams(
      new URLSearchParams(
        "actor=a@b.c&action=nope&outcome=maybe&from=2025-02-30&to=2025-03-01&view=raw&cursor=abc",
      ),
    );
    expect(state).toEqual({ ...DEFAULT_AUDIT_STATE, actor: "a@b.c", to: "2025-03-01" });
  });

  it("drops an end date before the start date rather than returning nothing", () => {
    expect(auditStateFromParams(new URLSearchParams("from=2025-03-02&to=2025-03-01"))).toMatchObject({
      from: "2025-03-02",
      to: "",
    });
  });

  it("cuts over-long text to the limits the API enforces", () => {
    expect(auditStateFromParams({ actor: "a".repeat(1000) }).actor).toHaveLength(320);
    expect(auditStateFromParams({ target: "t".repeat(1000) }).target).toHaveLength(512);
  });

  it("keeps a scope filter it cannot check, so the page refuses it instead of showing more", () => {
    expect(auditStateFromParams({ scopeOf: " not an id! " }).scopeOf).toBe("not an id!");
    expect(auditStateFromParams({ scopeOf: "x".repeat(100) }).scopeOf).toHaveLength(64);
  });

  it("agrees with the strict parser on every valid URL", () => {
    const params = auditStateToParams(FULL);
    const strict = parseAuditQuery(params);
    expect(strict.success && strict.data.state).toEqual(auditStateFromParams(params));
  });
});

describe("auditStateToParams", () => {
  it("omits defaults so links stay short", () => {
    expect(auditStateToParams(DEFAULT_AUDIT_STATE).toString()).toBe("");
    expect(
      auditStateToParams({ ...DEFAULT_AUDIT_STATE, view: "operations", outcome: "failed" }).toString(),
    ).toBe("outcome=failed");
  });

  it("can leave the cursor out (exports are never one page)", () => {
    expect(auditStateToParams(FULL, { includeCursor: false }).has("cursor")).toBe(false);
    expect(auditStateToParams(FULL).get("cursor")).toBe("812");
  });

  it("encodes ids with pipes and at-signs safely", () => {
    const query = auditStateToParams({ ...DEFAULT_AUDIT_STATE, target: "auth0|abc&x=1" }).toString();
    expect(query).toBe("target=auth0%7Cabc%26x%3D1");
  });
});

describe("hasAuditFilters", () => {
  it("is about filters only, not paging or the view", () => {
    expect(hasAuditFilters({ ...DEFAULT_AUDIT_STATE, cursor: "5", view: "events" })).toBe(false);
    expect(hasAuditFilters({ ...DEFAULT_AUDIT_STATE, to: "2025-01-01" })).toBe(true);
  });
});

describe("day bounds", () => {
  it("makes the 'to' day inclusive via an exclusive next-day bound, across month and year ends", () => {
    expect(dayStart("2025-01-31").toISOString()).toBe("2025-01-31T00:00:00.000Z");
    expect(dayAfter("2025-01-31").toISOString()).toBe("2025-02-01T00:00:00.000Z");
    expect(dayAfter("2024-12-31").toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(dayAfter("2024-02-28").toISOString()).toBe("2024-02-29T00:00:00.000Z");
  });
});
