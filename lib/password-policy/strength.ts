import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { adjacencyGraphs, dictionary } from "@zxcvbn-ts/language-common";

/**
 * Strength estimate with zxcvbn-ts (common-password dictionaries and keyboard patterns). Advisory
 * only: Auth0's policy decides what is accepted; this tells the operator how guessable it is.
 */

export type StrengthScore = 0 | 1 | 2 | 3 | 4;

let factory: ZxcvbnFactory | undefined;

function getFactory(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({ dictionary: { ...dictionary }, graphs: adjacencyGraphs });
  return factory;
}

/** 0 (guessable) to 4 (very strong); user inputs (name, email) count as guessable words. */
export function estimateStrength(password: string, userInputs: readonly string[] = []): StrengthScore {
  if (password === "") return 0;
  // zxcvbn's cost grows with length; beyond 100 characters the score is 4 anyway.
  const candidate = password.slice(0, 100);
  return getFactory().check(candidate, [...userInputs]).score as StrengthScore;
}
