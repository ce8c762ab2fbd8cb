import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

/**
 * Strength estimate with zxcvbn-ts (common-password dictionaries and keyboard patterns). Advisory
 * only: Auth0's policy decides what is accepted; this tells the operator how guessable it is.
 * The dictionaries are about 250 kB gzipped, so they are loaded on demand (when the Change
 * password dialog first shows a password), not with the profile page.
 */

export type StrengthScore = 0 | 1 | 2 | 3 | 4;
export type StrengthEstimator = (password: string, userInputs?: readonly string[]) => StrengthScore;

let factory: Promise<ZxcvbnFactory> | undefined;

function loadFactory(): Promise<ZxcvbnFactory> {
  factory ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common")]).then(
    ([core, common]) => new core.ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }),
  );
  // A failed chunk load (offline, deploy in progress) may be retried on the next call.
  factory.catch(() => {
    factory = undefined;
  });
  return factory;
}

/** 0 (guessable) to 4 (very strong); user inputs (name, email) count as guessable words. */
export async function loadStrengthEstimator(): Promise<StrengthEstimator> {
  const loaded = await loadFactory();
  return (password, userInputs = []) => {
    if (password === "") return 0;
    // zxcvbn's cost grows with length; beyond 100 characters the score is 4 anyway.
    return loaded.check(password.slice(0, 100), [...userInputs]).score as StrengthScore;
  };
}
