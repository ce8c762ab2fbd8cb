/**
 * A user outside the operator's scope. Callers answer it exactly like a user that does not exist
 * (404 `not_found`, the not-found page, the action failure a missing user gets) — never
 * "forbidden", so the answer does not confirm the user exists (issue 16).
 */
export class OutOfScopeError extends Error {
  constructor(readonly userId: string) {
    super("The user does not exist.");
    this.name = "OutOfScopeError";
  }
}
