// Type declarations for the untyped policy packages. Same shapes as tenant/src/vendor (the local
// tenant is a separate program with its own tsconfig, so the two files never meet).
declare module "auth0-password-policies" {
  export type CharsetExpression = {
    explain(): { message: string; code: string };
    test(password: string): boolean;
  };
  export type PolicyRules = {
    length?: { minLength: number };
    contains?: { expressions: CharsetExpression[] };
    containsAtLeast?: { atLeast: number; expressions: CharsetExpression[] };
    identicalChars?: { max: number };
    sequentialChars?: { max: number };
    maxLength?: { maxBytes: number };
  };
  const policies: {
    none: PolicyRules;
    low: PolicyRules;
    fair: PolicyRules;
    good: PolicyRules;
    excellent: PolicyRules;
    createRulesFromOptions(options: Record<string, unknown>): PolicyRules;
  };
  export default policies;
}

// password-sheriff is the engine under auth0-password-policies (installed with it).
declare module "password-sheriff" {
  import type { PolicyRules } from "auth0-password-policies";
  export type RuleDescription = {
    code: string;
    message: string;
    format?: (string | number)[];
    verified?: boolean;
    items?: RuleDescription[];
  };
  export class PasswordPolicy {
    constructor(rules: PolicyRules);
    check(password: string): boolean;
    missing(password: string): { rules: RuleDescription[]; verified: boolean };
    explain(): RuleDescription[];
  }
  const sheriff: { PasswordPolicy: typeof PasswordPolicy };
  export default sheriff;
}
