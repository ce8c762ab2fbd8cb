/**
 * A small Lucene query parser and matcher covering the subset of Auth0 user search v3
 * (`GET /api/v2/users?q=...&search_engine=v3`) that the local tenant emulates.
 *
 * Parsing happens once per request and does all the expensive work (lower-casing, number and
 * date parsing, wildcard compilation), because one parsed query is evaluated against up to
 * 100,000 users. Both parsing and matching are linear-ish: no backtracking RegExp is built from
 * user input, and nesting depth is capped so hostile input cannot overflow the stack.
 */

/** Thrown for queries Auth0 would reject; `position` is a 0-based index into the query. */
export class LuceneSyntaxError extends Error {
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = "LuceneSyntaxError";
    this.position = position;
  }
}

/** A wildcard pattern element: a literal code point, or `*` / `?`. */
type GlobPart = string | typeof STAR | typeof ONE;
const STAR = 0;
const ONE = 1;

/** A wildcard compiled once: prefix/suffix patterns (the common case) skip the general matcher. */
export type Glob =
  | { mode: "prefix"; literal: string }
  | { mode: "suffix"; literal: string }
  | { mode: "general"; parts: readonly GlobPart[] };

export type RangeBound = { num: number | null; str: string };

export type LuceneNode =
  | { kind: "all" }
  | { kind: "bool"; must: LuceneNode[]; should: LuceneNode[]; mustNot: LuceneNode[] }
  | {
      kind: "term";
      /** null = bare term, searched in DEFAULT_SEARCH_FIELDS. */
      field: string | null;
      path: readonly string[];
      phrase: boolean;
      value: string;
      lower: string;
      /** Lower-cased words, for word-matching in name-like fields. */
      words: readonly string[];
      /** CJK text has no spaces between words, so it is matched as a substring (like ES unigrams). */
      cjk: boolean;
      num: number | null;
      /** [start, end] epoch ms of a date-only value (`2024-01-01` matches that whole UTC day). */
      day: readonly [number, number] | null;
      time: number | null;
    }
  | {
      kind: "wildcard";
      field: string | null;
      path: readonly string[];
      pattern: string;
      glob: Glob;
      lowerGlob: Glob;
    }
  | {
      kind: "range";
      field: string;
      path: readonly string[];
      lo: RangeBound | null;
      hi: RangeBound | null;
      includeLo: boolean;
      includeHi: boolean;
    }
  | { kind: "exists"; field: string; path: readonly string[] };

type TermNode = Extract<LuceneNode, { kind: "term" }>;
type WildcardNode = Extract<LuceneNode, { kind: "wildcard" }>;
type RangeNode = Extract<LuceneNode, { kind: "range" }>;
type Scalar = string | number | boolean;

/** How a field's values are compared (mirrors Auth0's index mapping as far as it is documented). */
type FieldKind = "text" | "ci" | "date" | "number" | "bool" | "keyword";

/** Fields a bare term (no `field:`) searches, like Auth0's default. */
export const DEFAULT_SEARCH_FIELDS: readonly string[] =
  "email name nickname given_name family_name username user_id".split(" ");
/** Fields that accept `[a TO b]`; app_metadata.* is allowed too (Auth0 forbids only user_metadata). */
export const RANGE_FIELDS: readonly string[] =
  "logins_count created_at updated_at last_login last_password_reset".split(" ");

// Written as "kind: fields" lines to stay compact; anything unlisted is a case-sensitive keyword.
const KINDS: ReadonlyMap<string, FieldKind> = new Map(
  `text: name given_name family_name nickname
   ci: email username email.domain
   date: created_at updated_at last_login last_password_reset
   number: logins_count
   bool: email_verified blocked phone_verified identities.isSocial`
    .split("\n")
    .flatMap((line) => {
      const [kind = "", ...fields] = line.trim().split(/[:\s]+/);
      return fields.map((f): [string, FieldKind] => [f, kind as FieldKind]);
    }),
);
const kindOf = (field: string): FieldKind => KINDS.get(field) ?? "keyword";
const DEFAULTS = DEFAULT_SEARCH_FIELDS.map((f) => ({ path: f.split("."), kind: kindOf(f) }));

/** Parenthesis + prefix-operator nesting cap: keeps recursion (parse and match) far from the stack limit. */
const MAX_DEPTH = 64;
const DAY_MS = 86_400_000;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** Word boundaries for name-like fields: whitespace (incl. U+3000) and punctuation, like ES's standard tokenizer. */
const WORD_SPLIT = /[\s\p{P}]+/u;
const WS = /\s/u;
/** Characters that end an unescaped term (Lucene specials; `+ - & |` are allowed inside a term). */
const TERM_END = new Set(["(", ")", "[", "]", "{", "}", '"', ":", "^", "~", "/", "!"]);

// ---------------------------------------------------------------- lexer

type Token =
  | { type: "(" | ")" | "AND" | "OR" | "NOT" | "+" | "-" | "eof"; pos: number; text: string }
  | { type: "field"; pos: number; name: string }
  | { type: "term"; pos: number; text: string; parts: GlobPart[]; wild: boolean }
  | { type: "phrase"; pos: number; text: string }
  | {
      type: "range";
      pos: number;
      lo: string | null;
      hi: string | null;
      includeLo: boolean;
      includeHi: boolean;
    };

function lex(q: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (msg: string, at: number): never => {
    throw new LuceneSyntaxError(msg, at);
  };
  /** Reads a `"..."` string starting at the quote; returns its unescaped text. */
  const readQuoted = (): string => {
    const start = i++;
    let text = "";
    while (i < q.length && q[i] !== '"') {
      if (q[i] === "\\") {
        if (i + 1 >= q.length) break;
        i++;
      }
      const cp = String.fromCodePoint(q.codePointAt(i) ?? 0);
      text += cp;
      i += cp.length;
    }
    if (i >= q.length)
      fail(`Unbalanced quotes: the phrase starting at position ${start} is never closed`, start);
    i++;
    return text;
  };
  /** Reads an unquoted range bound: anything up to whitespace, `]` or `}` (colons allowed, for timestamps). */
  const readBound = (rangeStart: number): string | null => {
    while (i < q.length && WS.test(q[i] ?? "")) i++;
    if (q[i] === '"') return readQuoted();
    const start = i;
    let text = "";
    while (i < q.length && !WS.test(q[i] ?? "") && q[i] !== "]" && q[i] !== "}") {
      if (q[i] === "\\" && i + 1 < q.length) i++;
      text += q[i];
      i++;
    }
    if (text === "")
      fail(`Incomplete range starting at position ${rangeStart}: expected [min TO max]`, rangeStart);
    return q.slice(start, i) === "*" ? null : text;
  };

  while (i < q.length) {
    const c = q[i] ?? "";
    const pos = i;
    if (WS.test(c)) {
      i++;
    } else if (c === "(" || c === ")" || c === "+" || c === "-") {
      out.push({ type: c, pos, text: c });
      i++;
    } else if (c === "!") {
      out.push({ type: "NOT", pos, text: c });
      i++;
    } else if (q.startsWith("&&", i) || q.startsWith("||", i)) {
      out.push({ type: c === "&" ? "AND" : "OR", pos, text: c + c });
      i += 2;
    } else if (c === '"') {
      out.push({ type: "phrase", pos, text: readQuoted() });
    } else if (c === "[" || c === "{") {
      i++;
      const lo = readBound(pos);
      while (i < q.length && WS.test(q[i] ?? "")) i++;
      const after = q[i + 2] ?? " ";
      if (!q.startsWith("TO", i) || !(WS.test(after) || after === "]" || after === "}")) {
        fail(`Range starting at position ${pos} needs the form [min TO max] (TO in capitals)`, pos);
      }
      i += 2;
      const hi = readBound(pos);
      while (i < q.length && WS.test(q[i] ?? "")) i++;
      const close = q[i];
      if (close !== "]" && close !== "}")
        fail(`Range starting at position ${pos} is not closed with ] or }`, pos);
      i++;
      out.push({ type: "range", pos, lo, hi, includeLo: c === "[", includeHi: close === "]" });
    } else if (c === "]" || c === "}") {
      fail(`Unexpected '${c}' at position ${pos} (escape it as \\${c} to search for it)`, pos);
    } else if (c === "^") {
      fail(`Boosting with '^' (position ${pos}) is not supported; escape it as \\^`, pos);
    } else if (c === "~") {
      fail(`Fuzzy/proximity search with '~' (position ${pos}) is not supported; escape it as \\~`, pos);
    } else if (c === "/") {
      fail(
        `Regular expressions (position ${pos}) are not supported; escape '/' as \\/ or quote the value`,
        pos,
      );
    } else if (c === ":") {
      fail(`':' at position ${pos} must follow a field name (escape it as \\: or quote the value)`, pos);
    } else {
      // A term or a field name: read code points (so `?` and emoji count as one character).
      const parts: GlobPart[] = [];
      let text = "";
      let wild = false;
      while (i < q.length) {
        const ch = String.fromCodePoint(q.codePointAt(i) ?? 0);
        if (WS.test(ch) || TERM_END.has(ch)) break;
        if (ch === "\\") {
          if (i + 1 >= q.length) fail(`Dangling '\\' at the end of the query (use \\\\ for a backslash)`, i);
          const esc = String.fromCodePoint(q.codePointAt(i + 1) ?? 0);
          parts.push(esc);
          text += esc;
          i += 1 + esc.length;
          continue;
        }
        if (ch === "*" || ch === "?") {
          parts.push(ch === "*" ? STAR : ONE);
          wild = true;
        } else parts.push(ch);
        text += ch;
        i += ch.length;
      }
      const raw = q.slice(pos, i);
      if (q[i] === ":") {
        i++;
        if (wild && raw !== "*")
          fail(`Wildcards are not allowed in field names ('${raw}' at position ${pos})`, pos);
        out.push({ type: "field", pos, name: text });
      } else if (raw === "AND" || raw === "OR" || raw === "NOT") {
        out.push({ type: raw, pos, text: raw });
      } else {
        out.push({ type: "term", pos, text, parts, wild });
      }
    }
  }
  out.push({ type: "eof", pos: q.length, text: "" });
  return out;
}

// ---------------------------------------------------------------- parser

type Occur = "default" | "must" | "mustNot";
type Clause = { occur: Occur; node: LuceneNode };
type Bool = Extract<LuceneNode, { kind: "bool" }>;

/** Unwraps a bool that holds a single positive clause, so simple queries stay simple nodes. */
function simplify(b: Bool): LuceneNode {
  if (b.mustNot.length === 0 && b.must.length + b.should.length === 1)
    return (b.must[0] ?? b.should[0]) as LuceneNode;
  return b;
}
const clauseNode = (c: Clause): LuceneNode =>
  c.occur === "default"
    ? c.node
    : simplify({
        kind: "bool",
        must: c.occur === "must" ? [c.node] : [],
        should: [],
        mustNot: c.occur === "mustNot" ? [c.node] : [],
      });

/**
 * Parses an Auth0 v3 (Lucene) user-search query. Empty/whitespace → `{kind:"all"}`.
 * Precedence: prefix (`+ - ! NOT`) > `AND`/`&&` > `OR`/`||` = adjacency (default operator OR).
 * `NOT`/`-` exclude within their clause list, as in Lucene: `john NOT smith` = john and not smith;
 * a list with only exclusions matches everyone else (Elasticsearch behaviour).
 */
export function parseLucene(query: string): LuceneNode {
  if (query.trim() === "") return { kind: "all" };
  const toks = lex(query);
  let k = 0;
  let depth = 0;
  const peek = (): Token => toks[k] ?? (toks[toks.length - 1] as Token);
  const fail = (msg: string, at: number): never => {
    throw new LuceneSyntaxError(msg, at);
  };
  const atEnd = (t: Token) => t.type === "eof" || t.type === ")" || t.type === "AND" || t.type === "OR";
  const enter = (at: number) => {
    if (++depth > MAX_DEPTH) fail(`Query is nested too deeply (more than ${MAX_DEPTH} levels)`, at);
  };
  const describe = (t: Token) =>
    t.type === "eof" ? "the end of the query" : `'${"text" in t ? t.text : t.type}' at position ${t.pos}`;

  function parseOr(field: string | null): LuceneNode {
    const groups: Clause[][] = [parseAnd(field)];
    for (;;) {
      const t = peek();
      if (t.type === "eof" || t.type === ")") break;
      if (t.type === "OR") {
        k++;
        if (atEnd(peek())) fail(`'${t.text}' at position ${t.pos} needs a clause on both sides`, t.pos);
      }
      groups.push(parseAnd(field));
    }
    const b: Bool = { kind: "bool", must: [], should: [], mustNot: [] };
    for (const g of groups) {
      if (g.length === 1) {
        const c = g[0] as Clause;
        (c.occur === "must" ? b.must : c.occur === "mustNot" ? b.mustNot : b.should).push(c.node);
      } else {
        const inner: Bool = { kind: "bool", must: [], should: [], mustNot: [] };
        for (const c of g) (c.occur === "mustNot" ? inner.mustNot : inner.must).push(c.node);
        b.should.push(simplify(inner));
      }
    }
    return simplify(b);
  }

  function parseAnd(field: string | null): Clause[] {
    const clauses = [parseUnary(field)];
    while (peek().type === "AND") {
      const t = peek() as { text: string; pos: number };
      k++;
      if (atEnd(peek())) fail(`'${t.text}' at position ${t.pos} needs a clause on both sides`, t.pos);
      clauses.push(parseUnary(field));
    }
    return clauses;
  }

  function parseUnary(field: string | null): Clause {
    const t = peek();
    if (t.type === "NOT" || t.type === "-" || t.type === "+") {
      k++;
      if (atEnd(peek()))
        fail(`Dangling operator '${t.text}' at position ${t.pos}: nothing follows it`, t.pos);
      enter(t.pos);
      const inner = parseUnary(field);
      depth--;
      return { occur: t.type === "+" ? "must" : "mustNot", node: clauseNode(inner) };
    }
    if (t.type === "AND" || t.type === "OR")
      fail(`'${t.text}' at position ${t.pos} needs a clause on both sides`, t.pos);
    return { occur: "default", node: parsePrimary(field) };
  }

  function parsePrimary(field: string | null): LuceneNode {
    const t = peek();
    k++;
    switch (t.type) {
      case "(": {
        enter(t.pos);
        if (peek().type === ")") fail(`Empty parentheses at position ${t.pos}`, t.pos);
        const node = parseOr(field);
        if (peek().type !== ")")
          fail(`Unbalanced parentheses: '(' at position ${t.pos} is never closed`, t.pos);
        k++;
        depth--;
        return node;
      }
      case "field": {
        if (t.name === "") fail(`Empty field name at position ${t.pos}`, t.pos);
        const v = peek();
        if (v.type === "(") return parsePrimary(t.name);
        if (v.type === "term" || v.type === "phrase" || v.type === "range") {
          k++;
          return leaf(t.name, v);
        }
        if (v.type === "field")
          fail(
            `The value after '${t.name}:' contains ':' (position ${v.pos}); escape it as \\: or quote the value`,
            v.pos,
          );
        return fail(`Missing value after '${t.name}:' (found ${describe(v)})`, v.pos);
      }
      case "term":
      case "phrase":
      case "range":
        return leaf(field, t);
      case ")":
        return fail(`Unbalanced parentheses: unexpected ')' at position ${t.pos}`, t.pos);
      default:
        return fail(`Expected a search term but found ${describe(t)}`, t.pos);
    }
  }

  const node = parseOr(null);
  const rest = peek();
  if (rest.type !== "eof") fail(`Unbalanced parentheses: unexpected ')' at position ${rest.pos}`, rest.pos);
  return node;
}

/** Builds a leaf node, applying Auth0's per-field rules (wildcards, ranges, typed values). */
function leaf(field: string | null, t: Extract<Token, { type: "term" | "phrase" | "range" }>): LuceneNode {
  const fail = (msg: string): never => {
    throw new LuceneSyntaxError(msg, t.pos);
  };
  if (field === "_exists_" || field === "_missing_") {
    if (t.type === "range" || (t.type === "term" && t.wild)) fail(`${field} takes a plain field name`);
    const target = (t as { text: string }).text;
    const exists: LuceneNode = { kind: "exists", field: target, path: target.split(".") };
    return field === "_exists_" ? exists : { kind: "bool", must: [], should: [], mustNot: [exists] };
  }
  const path = field === null ? [] : field.split(".");
  const kind = field === null ? "text" : kindOf(field);
  const userMeta = field !== null && (field === "user_metadata" || field.startsWith("user_metadata."));

  if (t.type === "range") {
    if (field === null) fail(`A range needs a field, e.g. logins_count:[1 TO 5]`);
    const f = field as string;
    if (kind !== "date" && kind !== "number" && !f.startsWith("app_metadata.")) {
      fail(
        `Range queries are not supported on '${f}' (only ${RANGE_FIELDS.join(", ")} and app_metadata fields)`,
      );
    }
    const bound = (s: string | null, roundUp: boolean): RangeBound | null => {
      if (s === null) return null;
      if (kind === "date") {
        const ms = parseDate(s, roundUp);
        return ms === null
          ? fail(`'${s}' is not a valid date for ${f} (use e.g. 2024-01-31 or an ISO timestamp)`)
          : { num: ms, str: s };
      }
      const num = NUMERIC.test(s) ? Number(s) : null;
      if (kind === "number" && num === null) fail(`'${s}' is not a number (${f} range)`);
      return { num, str: s };
    };
    // ES rounds date-only bounds up for inclusive-upper and exclusive-lower ends (whole-day semantics).
    return {
      kind: "range",
      field: f,
      path,
      lo: bound(t.lo, !t.includeLo),
      hi: bound(t.hi, t.includeHi),
      includeLo: t.includeLo,
      includeHi: t.includeHi,
    };
  }

  if (t.type === "term" && t.wild) {
    const literals = t.parts.filter((p) => typeof p === "string").length;
    if (field === null && t.text === "*") return { kind: "all" };
    if (field === "*" && t.text === "*") return { kind: "all" };
    if (literals === 0)
      fail(
        `'${field ?? ""}${field ? ":" : ""}${t.text}' is not supported; use _exists_:${field ?? "field"} to find users having a field`,
      );
    if (userMeta) fail(`Wildcards are not supported on user_metadata fields ('${field}')`);
    if (kind === "date" || kind === "number" || kind === "bool")
      fail(`Wildcards are not supported on the ${kind} field '${field}'`);
    if (typeof t.parts[0] !== "string" && literals < 3) {
      fail(`A leading wildcard needs at least 3 other characters ('${t.text}')`);
    }
    const lowerParts = t.parts.map((p) => (typeof p === "string" ? p.toLowerCase() : p));
    return {
      kind: "wildcard",
      field,
      path,
      pattern: t.text,
      glob: compileGlob(t.parts),
      lowerGlob: compileGlob(lowerParts),
    };
  }

  const value = t.text;
  if (t.type === "phrase" && value === "") fail(`Empty phrase ""`);
  const num = NUMERIC.test(value.trim()) ? Number(value) : null;
  if (kind === "number" && num === null) fail(`'${value}' is not a number (${field} is numeric)`);
  if (kind === "bool" && value !== "true" && value !== "false")
    fail(`${field} takes true or false, not '${value}'`);
  const day = DATE_ONLY.test(value) ? parseDate(value, false) : null;
  const time = kind === "date" ? parseDate(value, false) : null;
  if (kind === "date" && time === null) fail(`'${value}' is not a valid date for ${field}`);
  const lower = value.toLowerCase();
  return {
    kind: "term",
    field,
    path,
    phrase: t.type === "phrase",
    value,
    lower,
    words: lower.split(WORD_SPLIT).filter((w) => w !== ""),
    cjk: CJK.test(value),
    num,
    day: day === null ? null : [day, day + DAY_MS - 1],
    time,
  };
}

/** Epoch ms of an ISO date/timestamp; date-only values are UTC days, `roundUp` → last ms of that day. */
function parseDate(s: string, roundUp: boolean): number | null {
  const m = DATE_ONLY.exec(s);
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    // Reject impossible dates like 2024-02-31 that Date.UTC silently rolls over.
    if (new Date(ms).toISOString().slice(0, 10) !== s) return null;
    return roundUp ? ms + DAY_MS - 1 : ms;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(s)) return null;
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

function compileGlob(parts: readonly GlobPart[]): Glob {
  // Collapse runs of `*` (they are equivalent) so the general matcher never sees them.
  const p = parts.filter((x, j) => !(x === STAR && parts[j - 1] === STAR));
  const lits = p.filter((x): x is string => typeof x === "string");
  const oneWild = p.length === lits.length + 1;
  if (oneWild && p[p.length - 1] === STAR) return { mode: "prefix", literal: lits.join("") };
  if (oneWild && p[0] === STAR) return { mode: "suffix", literal: lits.join("") };
  return { mode: "general", parts: p };
}

/** Wildcard match in O(len(s)·len(p)) worst case (greedy with single backtrack point, no RegExp). */
function globMatch(g: Glob, s: string): boolean {
  if (g.mode === "prefix") return s.startsWith(g.literal);
  if (g.mode === "suffix") return s.endsWith(g.literal);
  const p = g.parts;
  const cs = Array.from(s);
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < cs.length) {
    const c = p[pi];
    if (c === ONE || (c !== undefined && c === cs[si])) {
      pi++;
      si++;
    } else if (c === STAR) {
      star = pi++;
      mark = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++mark;
    } else return false;
  }
  while (p[pi] === STAR) pi++;
  return pi === p.length;
}

// ---------------------------------------------------------------- matcher

/**
 * Calls `fn` on each scalar at `path` (arrays are flattened at every level, as Auth0 ignores the
 * array level: `identities.connection`). `deep` also visits scalars nested under the end object
 * (for `_exists_:app_metadata`). Null, empty arrays and empty objects hold nothing, as in Auth0.
 */
function anyLeaf(
  v: unknown,
  path: readonly string[],
  i: number,
  deep: boolean,
  fn: (s: Scalar) => boolean,
): boolean {
  if (Array.isArray(v)) {
    for (const x of v) if (anyLeaf(x, path, i, deep, fn)) return true;
    return false;
  }
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean")
    return i === path.length && fn(v);
  if (v === null || typeof v !== "object") return false;
  const o = v as Record<string, unknown>;
  if (i < path.length) return anyLeaf(o[path[i] as string], path, i + 1, deep, fn);
  if (!deep) return false;
  for (const key in o) if (anyLeaf(o[key], path, i, deep, fn)) return true;
  return false;
}

function fieldHas(
  user: Record<string, unknown>,
  path: readonly string[],
  deep: boolean,
  fn: (s: Scalar) => boolean,
): boolean {
  // email.domain is derived (the part after the last @), not stored.
  if (path.length === 2 && path[0] === "email" && path[1] === "domain") {
    const e = user.email;
    return typeof e === "string" && e.includes("@") && fn(e.slice(e.lastIndexOf("@") + 1));
  }
  return anyLeaf(user, path, 0, deep, fn);
}

function termHit(n: TermNode, kind: FieldKind, v: Scalar): boolean {
  if (typeof v === "number") return n.num === v;
  if (typeof v === "boolean") return n.value === String(v);
  switch (kind) {
    case "text": {
      const lv = v.toLowerCase();
      if (n.cjk) return lv.includes(n.lower);
      if (n.words.length === 0) return lv === n.lower;
      // The term's words must appear consecutively among the value's words (phrase semantics).
      const vw = lv.split(WORD_SPLIT);
      outer: for (let s = 0; s + n.words.length <= vw.length; s++) {
        for (let j = 0; j < n.words.length; j++) if (vw[s + j] !== n.words[j]) continue outer;
        return true;
      }
      return false;
    }
    case "ci":
      return v.toLowerCase() === n.lower;
    case "date": {
      const t = Date.parse(v);
      return n.day ? t >= n.day[0] && t <= n.day[1] : t === n.time;
    }
    default:
      return v === n.value;
  }
}

function wildHit(n: WildcardNode, kind: FieldKind, v: Scalar): boolean {
  const s = String(v);
  if (kind === "keyword") return globMatch(n.glob, s);
  const lv = s.toLowerCase();
  if (globMatch(n.lowerGlob, lv)) return true;
  // Name-like fields also match word by word: name:yam* finds "Taro Yamada".
  return kind === "text" && lv.split(WORD_SPLIT).some((w) => w !== "" && globMatch(n.lowerGlob, w));
}

function rangeHit(n: RangeNode, kind: FieldKind, v: Scalar): boolean {
  let x: number | string;
  if (kind === "date") {
    if (typeof v !== "string") return false;
    x = Date.parse(v);
    if (Number.isNaN(x)) return false;
  } else if (typeof v === "number" || typeof v === "string") x = v;
  else return false;
  const cmp = (b: RangeBound): number | null => {
    const y = typeof x === "number" ? b.num : b.str;
    if (y === null) return null;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  if (n.lo) {
    const c = cmp(n.lo);
    if (c === null || c < 0 || (c === 0 && !n.includeLo)) return false;
  }
  if (n.hi) {
    const c = cmp(n.hi);
    if (c === null || c > 0 || (c === 0 && !n.includeHi)) return false;
  }
  return true;
}

/** Evaluates a parsed query against one user (an Auth0-shaped user object). */
export function matchesLucene(node: LuceneNode, user: Record<string, unknown>): boolean {
  switch (node.kind) {
    case "all":
      return true;
    case "bool": {
      for (const m of node.must) if (!matchesLucene(m, user)) return false;
      for (const m of node.mustNot) if (matchesLucene(m, user)) return false;
      // With required clauses present, optional ones only affect scoring in Lucene.
      if (node.should.length === 0 || node.must.length > 0) return true;
      for (const m of node.should) if (matchesLucene(m, user)) return true;
      return false;
    }
    case "exists":
      return fieldHas(user, node.path, true, () => true);
    case "range": {
      const kind = kindOf(node.field);
      return fieldHas(user, node.path, false, (v) => rangeHit(node, kind, v));
    }
    case "term":
    case "wildcard": {
      const hit =
        node.kind === "term"
          ? (k: FieldKind, v: Scalar) => termHit(node, k, v)
          : (k: FieldKind, v: Scalar) => wildHit(node, k, v);
      if (node.field === null)
        return DEFAULTS.some((d) => fieldHas(user, d.path, false, (v) => hit(d.kind, v)));
      const kind = kindOf(node.field);
      return fieldHas(user, node.path, false, (v) => hit(kind, v));
    }
  }
}

/** Convenience: parse once, get a predicate. */
export function compileLucene(query: string): (user: Record<string, unknown>) => boolean {
  const node = parseLucene(query);
  return (user) => matchesLucene(node, user);
}

// ---------------------------------------------------------------- exact-match index keys

/**
 * Values for the tenant's exact-match search index (src/search-index.ts), written beside termHit
 * because they must agree with it: a term on an indexable field matches a stored value exactly
 * when the value as indexed is one of the term's values (compared as Map keys: 3 is not "3"). Indexable: fields compared whole — keyword (and
 * bool, number: termHit's default comparison) and ci (lower-cased). Text fields (word
 * matching), dates (parsed) and the derived email.domain are not; neither are bare terms.
 */
const INDEXABLE_KINDS: ReadonlySet<FieldKind> = new Set(["keyword", "ci", "bool", "number"]);

export function isIndexableField(field: string): boolean {
  return field !== "email.domain" && INDEXABLE_KINDS.has(kindOf(field));
}

/**
 * Longest string indexed (after lower-casing on ci fields). Longer values (the seeded data: URI
 * pictures) are left to the matcher: a term is indexable only if its own compared text is this
 * short, and a value compared equal to it has the very same text, so none is missed.
 */
const MAX_INDEXED_TEXT = 256;

/** A stored scalar as the index keeps it (lower-cased on ci fields), or null when too long to index. */
export function indexedValue(field: string, v: Scalar): Scalar | null {
  if (typeof v !== "string") return v;
  const text = kindOf(field) === "ci" ? v.toLowerCase() : v;
  return text.length > MAX_INDEXED_TEXT ? null : text;
}

/**
 * The indexed values a term matches (termHit: a number by value, a boolean by its text, a
 * string as stored or lower-cased on ci fields), or null when the index cannot answer it.
 */
export function termIndexValues(node: LuceneNode): { field: string; values: Scalar[] } | null {
  if (node.kind !== "term" || node.field === null || !isIndexableField(node.field)) return null;
  const field = node.field;
  const text = kindOf(field) === "ci" ? node.lower : node.value;
  if (text.length > MAX_INDEXED_TEXT) return null;
  const values: Scalar[] = [text];
  if (node.value === "true" || node.value === "false") values.push(node.value === "true");
  if (node.num !== null) values.push(node.num);
  return { field, values };
}

export type { Scalar as IndexScalar };
