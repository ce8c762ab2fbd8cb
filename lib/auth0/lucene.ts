/**
 * Builds Auth0 user-search queries (Lucene syntax, search engine v3) from what an operator
 * types. For the simple fields the input is data, never syntax: every character that means
 * something to Lucene is escaped or the value is quoted, so no input can add a clause, an
 * operator or a wildcard the builder did not put there. Pure (no I/O); safe on client and server.
 */

/** The search box's field selector. `lucene` passes an advanced query through, length-limited. */
export const SEARCH_FIELDS = ["any", "email", "name", "userId", "connection", "lucene"] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];
/** A field with a fixed set of Auth0 fields to look in (`any` picks its fields from the input). */
export type SimpleSearchField = Exclude<SearchField, "lucene" | "any">;

/** Longest search text for the simple fields (an email address is at most 254 characters). */
export const MAX_SEARCH_TEXT_LENGTH = 256;
/** Longest advanced (raw Lucene) query we forward. */
export const MAX_LUCENE_QUERY_LENGTH = 1_000;
/** Auth0 only runs a trailing-wildcard search when at least this many literal characters precede it. */
export const MIN_WILDCARD_LITERALS = 3;

/**
 * Characters with a meaning in Lucene / Elasticsearch query_string syntax. Single `&` and `|`
 * are escaped too (harmless) so `&&`/`||` can never form; whitespace is escaped so a term
 * stays one term.
 */
const SPECIAL = new Set([
  "\\",
  "+",
  "-",
  "=",
  "&",
  "|",
  "!",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  "^",
  '"',
  "~",
  "*",
  "?",
  ":",
  "/",
]);
/** Elasticsearch cannot escape `<` and `>` in an unquoted term: such input is matched as a quoted phrase. */
const UNESCAPABLE = /[<>]/;
const CONTROL = /\p{Cc}/gu;
const WHITESPACE_RUN = /\s+/gu;

/** The Auth0 fields each simple search field looks in. */
const FIELD_PATHS: Record<SimpleSearchField, readonly string[]> = {
  email: ["email"],
  // Auth0 keeps the display name and its parts separately; a family name alone (山田) should find 山田 太郎.
  name: ["name", "given_name", "family_name"],
  userId: ["user_id"],
  connection: ["identities.connection"],
};

/**
 * A user id as Auth0 writes it: `provider|id`, the provider a lower-case strategy name
 * (`auth0`, `google-oauth2`, `samlp|acme|jdoe` for enterprise connections), no spaces.
 */
const USER_ID_PATTERN = /^[a-z0-9][a-z0-9-]*(\|[^\s|]+)+$/u;
/** Text in a script written without spaces between words (matched as a phrase, not a prefix). */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
/** What `any` searches when the input is neither an email nor a user id. */
const ANY_NAME_PATHS = ["name", "given_name", "family_name", "nickname", "username", "email"] as const;

/** Trims, drops control characters and folds whitespace runs (incl. U+3000) into one space. */
export function normalizeSearchText(input: string): string {
  return input.replace(CONTROL, " ").replace(WHITESPACE_RUN, " ").trim();
}

/** Escapes every Lucene special character and whitespace with a backslash (for unquoted terms). */
export function escapeLuceneTerm(value: string): string {
  let out = "";
  for (const char of value) {
    out += SPECIAL.has(char) || /\s/u.test(char) ? `\\${char}` : char;
  }
  return out;
}

/** A quoted Lucene phrase: only `\` and `"` need escaping inside quotes. */
export function quoteLucenePhrase(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/** Whether a normalized term is searched as a prefix (`term*`) or matched exactly. */
export function isPrefixSearch(term: string): boolean {
  return Array.from(term).length >= MIN_WILDCARD_LITERALS && !UNESCAPABLE.test(term);
}

/** One `field:value` clause: a prefix wildcard when Auth0 allows it, else an exact (quoted) match. */
function clause(path: string, term: string): string {
  return isPrefixSearch(term) ? `${path}:${escapeLuceneTerm(term)}*` : `${path}:${quoteLucenePhrase(term)}`;
}

/**
 * The query for one simple field, or undefined for empty input ("all users").
 * `email` + "jo" → `email:"jo"`; `email` + "john@ex" → `email:john@ex*`.
 */
export function buildFieldQuery(field: SimpleSearchField, input: string): string | undefined {
  const term = normalizeSearchText(input);
  if (term === "") return undefined;
  const clauses = FIELD_PATHS[field].map((path) => clause(path, term));
  return clauses.length === 1 ? clauses[0] : clauses.join(" OR ");
}

/** How the `any` mode reads a normalized term. */
export type AnyTermKind = "email" | "userId" | "name";

/** `jane@` or `@example.com` → email; `auth0|63d1…` → user id; anything else → name-like. */
export function classifyAnyTerm(term: string): AnyTermKind {
  if (USER_ID_PATTERN.test(term)) return "userId";
  if (term.includes("@")) return "email";
  return "name";
}

/**
 * One clause of the `any` mode's name-like search. CJK text is quoted: Auth0 indexes it as
 * single characters, so a wildcard (`山田*`) would be compared with each character and find
 * nothing, while a phrase (`"山田"`) matches those characters in order, in 山田 太郎 too.
 */
function anyNameClause(path: string, term: string): string {
  return CJK.test(term) ? `${path}:${quoteLucenePhrase(term)}` : clause(path, term);
}

/**
 * The `any` mode: one query whose structure depends on what was typed, never on its characters.
 * - a user id (`auth0|abc`, `samlp|acme|jdoe`) → `user_id:"auth0|abc"` (exact, as pasted);
 * - text with `@` → the email by prefix (`email:jane@*`), or exactly when shorter than 3 characters;
 * - anything else → name, given/family name, nickname, username and email together (OR),
 *   each by prefix (quoted for short or CJK text).
 */
export function buildAnyQuery(input: string): string | undefined {
  const term = normalizeSearchText(input);
  if (term === "") return undefined;
  switch (classifyAnyTerm(term)) {
    case "userId":
      return `user_id:${quoteLucenePhrase(term)}`;
    case "email":
      return clause("email", term);
    case "name":
      return ANY_NAME_PATHS.map((path) => anyNameClause(path, term)).join(" OR ");
  }
}

/** The exact-match filter for one connection name. */
export function buildConnectionFilter(connection: string): string {
  return `identities.connection:${quoteLucenePhrase(connection)}`;
}

/**
 * Whether every `(` in an advanced query closes before the end and no `)` closes more than was
 * opened, ignoring escaped characters and quoted phrases. An unbalanced query could otherwise
 * break out of the group we wrap it in when combining it with the connection filter.
 */
export function hasBalancedGroups(query: string): boolean {
  let depth = 0;
  let isQuoted = false;
  for (let index = 0; index < query.length; index++) {
    const char = query[index];
    if (char === "\\") {
      index++;
      continue;
    }
    if (char === '"') isQuoted = !isQuoted;
    else if (!isQuoted && char === "(") depth++;
    else if (!isQuoted && char === ")") {
      depth--;
      if (depth < 0) return false;
    }
  }
  return depth === 0 && !isQuoted;
}

/**
 * Why an advanced (raw Lucene) query cannot be forwarded or combined with another clause, or
 * null when it can: longer than MAX_LUCENE_QUERY_LENGTH, or unbalanced groups or quotes.
 */
export function advancedQueryProblem(raw: string): "too_long" | "unbalanced" | null {
  if (raw.length > MAX_LUCENE_QUERY_LENGTH) return "too_long";
  if (!hasBalancedGroups(raw)) return "unbalanced";
  return null;
}

/**
 * Whether one user matches an advanced query: `user_id:"<id>" AND (<query>)` (the id quoted,
 * the query parenthesised so its ORs stay inside; the query must pass advancedQueryProblem).
 */
export function buildUserMatchQuery(userId: string, query: string): string {
  return `user_id:${quoteLucenePhrase(userId)} AND (${query})`;
}

export type UserSearchInput = {
  field: SearchField;
  text: string;
  /** Only users with an identity in this connection (exact name). */
  connection?: string | undefined;
};

export type BuiltQuery =
  { ok: true; q: string | undefined } | { ok: false; reason: "too_long" | "unbalanced" };

/**
 * The whole `q` for a search: the field query, AND-ed with the connection filter when one is
 * chosen. Each part is parenthesised so its ORs stay inside it.
 */
export function buildUserSearchQuery(input: UserSearchInput): BuiltQuery {
  let query: string | undefined;
  if (input.field === "lucene") {
    const raw = input.text.trim();
    const problem = advancedQueryProblem(raw);
    if (problem) return { ok: false, reason: problem };
    query = raw === "" ? undefined : raw;
  } else {
    if (normalizeSearchText(input.text).length > MAX_SEARCH_TEXT_LENGTH)
      return { ok: false, reason: "too_long" };
    query =
      input.field === "any" ? buildAnyQuery(input.text) : buildFieldQuery(input.field, input.text);
  }
  const connection = input.connection?.trim();
  const filter = connection ? buildConnectionFilter(connection) : undefined;
  if (filter && query) return { ok: true, q: `${filter} AND (${query})` };
  return { ok: true, q: filter ?? query };
}
