import type { ScopeProblem } from "./validate";

/** A translator for the `OperatorScope.errors` namespace (next-intl's, or createTranslator's in the CLI). */
export type ScopeErrorTranslator = (key: ScopeProblem["code"], values: Record<string, string>) => string;

/** One message per problem, e.g. `Unknown connection "x".` (en/ja in messages/<locale>/OperatorScope.json). */
export function scopeProblemMessage(problem: ScopeProblem, t: ScopeErrorTranslator): string {
  return t(problem.code, { value: problem.value ?? "", auth0Message: problem.auth0Message ?? "" });
}

/** The problems by form field (connections, organizations, filter), for an action's fieldErrors. */
export function scopeFieldErrors(problems: readonly ScopeProblem[], t: ScopeErrorTranslator): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const problem of problems) (errors[problem.field] ??= []).push(scopeProblemMessage(problem, t));
  return errors;
}
