/**
 * Many generated users and one query over them: lucene.test.ts checks the matches, `npm run
 * bench` (bench/timings.ts) times the same evaluation. User i: odd i are google-oauth2, the rest
 * "db"; logins_count = i % 500.
 */
export function syntheticUsers(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => ({
    user_id: `auth0|${i}`,
    email: `user${i}@example.com`,
    name: `User Number${i}`,
    logins_count: i % 500,
    identities: [{ connection: i % 2 ? "google-oauth2" : "db", provider: "x", isSocial: i % 2 === 1 }],
  }));
}

export const SYNTHETIC_QUERY =
  '(email:user1* OR name:number42) AND identities.connection:"google-oauth2" AND logins_count:[10 TO *]';
