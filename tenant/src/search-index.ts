import {
  indexedValue,
  isIndexableField,
  matchesLucene,
  termIndexValues,
  type IndexScalar,
  type LuceneNode,
} from "./lucene/index.ts";
import type { User } from "./types.ts";

/**
 * The local tenant's exact-match search index: for every user, each scalar stored at a field
 * that is compared whole (keyword, ci, bool, number; see lucene/index.ts `isIndexableField`),
 * posted under its field and value. Auth0 answers searches from an Elasticsearch index, where a term
 * on such a field is a posting-list lookup and `a AND b` costs about the smaller side; without
 * this the tenant scanned every user for every clause, so any extra clause (a scoped operator's
 * `identities.connection:(…) AND (q)`) made a search slower in proportion, which Auth0 would not.
 *
 * The index is exact, not a superset: a user is under a key if and only if the matcher's term
 * would match that stored value. Keys containing "." are skipped with everything under them:
 * the matcher walks `a.b` as a → b and never reaches a key named "a.b".
 * Users are copy-on-write in the store, but the keys indexed for each user are remembered,
 * so removing a user never depends on its current object.
 */
export class SearchIndex {
  /** Field → value → its users: one id alone (most values are unique: ids, emails), a set for several. */
  private postings = new Map<string, Map<IndexScalar, string | Set<string>>>();
  /** What each user was posted under: field, value, field, value, … */
  private keysByUser = new Map<string, readonly (string | IndexScalar)[]>();
  /** Each user's position in the store's insertion order (results keep a scan's order). */
  private positions = new Map<string, number>();
  private nextPosition = 0;
  /** Bumped by every change: an ordered candidate list is kept for the generation it was made in. */
  private generation = 0;
  private ordered = new WeakMap<ReadonlySet<string>, { generation: number; users: User[] }>();

  get size(): number {
    return this.keysByUser.size;
  }

  clear(): void {
    this.generation += 1;
    this.postings = new Map();
    this.keysByUser = new Map();
    this.positions = new Map();
    this.nextPosition = 0;
  }

  /** Adds or replaces a user (a replaced user keeps its position, as a Map.set does). */
  put(user: User): void {
    this.generation += 1;
    this.unpost(user.user_id);
    const keys: (string | IndexScalar)[] = [];
    collectKeys(user, null, keys);
    for (let at = 0; at < keys.length; at += 2) {
      const field = keys[at] as string;
      const value = keys[at + 1] as IndexScalar;
      let values = this.postings.get(field);
      if (!values) this.postings.set(field, (values = new Map()));
      const ids = values.get(value);
      if (ids === undefined) values.set(value, user.user_id);
      else if (typeof ids === "string") values.set(value, new Set([ids, user.user_id]));
      else ids.add(user.user_id);
    }
    this.keysByUser.set(user.user_id, keys);
    if (!this.positions.has(user.user_id)) this.positions.set(user.user_id, this.nextPosition++);
  }

  delete(userId: string): void {
    this.generation += 1;
    this.unpost(userId);
    this.keysByUser.delete(userId);
    this.positions.delete(userId);
  }

  private unpost(userId: string): void {
    const keys = this.keysByUser.get(userId) ?? [];
    for (let at = 0; at < keys.length; at += 2) {
      const values = this.postings.get(keys[at] as string);
      const value = keys[at + 1] as IndexScalar;
      const ids = values?.get(value);
      if (ids === userId) values?.delete(value);
      else if (typeof ids === "object") {
        ids.delete(userId);
        if (ids.size === 0) values?.delete(value);
      }
    }
  }

  /**
   * The ids of exactly the users `node` matches, when the index can say: a term on an indexable
   * field, or an OR of such terms (a field group, `user_id:("a" OR "b")`). Null otherwise. The
   * returned set may be the index's own: read it, never change it.
   */
  exact(node: LuceneNode): ReadonlySet<string> | null {
    const terms = node.kind === "term" ? [node] : node.kind === "bool" && isPureOr(node) ? node.should : null;
    if (!terms) return null;
    const sets: ReadonlySet<string>[] = [];
    for (const term of terms) {
      const wanted = termIndexValues(term);
      if (!wanted) return null;
      const values = this.postings.get(wanted.field);
      for (const value of wanted.values) {
        const ids = values?.get(value);
        if (ids !== undefined) sets.push(typeof ids === "string" ? new Set([ids]) : ids);
      }
    }
    if (sets.length === 1) return sets[0] as ReadonlySet<string>;
    const union = new Set<string>();
    for (const ids of sets) for (const id of ids) union.add(id);
    return union;
  }

  /**
   * The users with these ids, in the store's order (the order a scan meets them in). A posting
   * set's list is kept until the next change, so a repeated clause (a scope) is not sorted again.
   */
  usersOf(ids: ReadonlySet<string>, users: ReadonlyMap<string, User>): readonly User[] {
    const kept = this.ordered.get(ids);
    if (kept && kept.generation === this.generation) return kept.users;
    let list: User[];
    if (ids.size * 8 > users.size) {
      list = [];
      for (const user of users.values()) if (ids.has(user.user_id)) list.push(user);
    } else {
      const at = (id: string) => this.positions.get(id) ?? Number.MAX_SAFE_INTEGER;
      list = [...ids]
        .sort((a, b) => at(a) - at(b))
        .map((id) => users.get(id))
        .filter((user): user is User => user !== undefined);
    }
    this.ordered.set(ids, { generation: this.generation, users: list });
    return list;
  }
}

function isPureOr(node: Extract<LuceneNode, { kind: "bool" }>): boolean {
  return node.must.length === 0 && node.mustNot.length === 0 && node.should.length > 0;
}

/** Every field and indexed value of a value's scalars, the way the matcher's anyLeaf walks it (arrays flattened). */
function collectKeys(value: unknown, field: string | null, out: (string | IndexScalar)[]): void {
  if (Array.isArray(value)) {
    for (const item of value) collectKeys(item, field, out);
    return;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    const indexed = field !== null && isIndexableField(field) ? indexedValue(field, value) : null;
    if (indexed !== null) out.push(field as string, indexed);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const object = value as Record<string, unknown>;
  for (const key in object) {
    if (key.includes(".")) continue;
    collectKeys(object[key], field === null ? key : `${field}.${key}`, out);
  }
}

/** How a search is run: the users to look at, and the test each must pass. */
export type SearchPlan = { candidates: Iterable<User>; test: (user: User) => boolean };

/**
 * The plan for a parsed query. A query the index answers whole is read from it. An AND
 * (`must`) takes its candidates from its smallest indexed clause; its other indexed clauses
 * are set lookups, the rest (and every `NOT`) run through the matcher. Anything else is a scan
 * with the matcher. The answer is the same as a scan's, in the same order.
 */
export function planSearch(
  users: ReadonlyMap<string, User>,
  index: SearchIndex,
  node: LuceneNode | null,
): SearchPlan {
  const always = () => true;
  if (!node || node.kind === "all") return { candidates: users.values(), test: always };
  const whole = index.exact(node);
  if (whole) return { candidates: index.usersOf(whole, users), test: always };
  if (node.kind !== "bool" || node.must.length === 0) {
    return { candidates: users.values(), test: (user) => matchesLucene(node, user) };
  }
  const sets = node.must.map((clause) => index.exact(clause));
  let driver = -1;
  sets.forEach((ids, at) => {
    if (ids && (driver === -1 || ids.size < (sets[driver] as ReadonlySet<string>).size)) driver = at;
  });
  const driving = driver === -1 ? null : (sets[driver] as ReadonlySet<string>);
  const tests: ((user: User) => boolean)[] = [];
  node.must.forEach((clause, at) => {
    if (at === driver) return;
    const ids = sets[at];
    tests.push(ids ? (user) => ids.has(user.user_id) : (user) => matchesLucene(clause, user));
  });
  for (const clause of node.mustNot) {
    const ids = index.exact(clause);
    tests.push(ids ? (user) => !ids.has(user.user_id) : (user) => !matchesLucene(clause, user));
  }
  // With required clauses present, optional ones only affect scoring (as in matchesLucene).
  const test = (user: User) => {
    for (const clauseTest of tests) if (!clauseTest(user)) return false;
    return true;
  };
  return { candidates: driving ? index.usersOf(driving, users) : users.values(), test };
}
