import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

/**
 * Strength estimate with zxcvbn-ts (common-password dictionaries and keyboard patterns). Advisory
 * only: Auth0's policy decides what is accepted; this tells the operator how guessable it is.
 * The dictionaries are about 250 kB gzipped, so they are loaded on demand (when the Change
 * password dialog first shows a password), not with the profile page.
 */

export type StrengthScore = 0 | 1 | 2 | 3 | 4;
export type StrengthEstimator = (password: string, userInputs?: readonly string[]) => StrengthScore;

let estimator: Promise<StrengthEstimator> | undefined;

function createEstimator(factory: ZxcvbnFactory): StrengthEstimator {
  return (password, userInputs = []) => {
    if (password === "") return 0;
    // zxcvbn's cost grows with length; beyond 100 characters the score is 4 anyway.
    return factory.check(password.slice(0, 100), [...userInputs]).score as StrengthScore;
  };
}

/**
 * 0 (guessable) to 4 (very strong); user inputs (name, email) count as guessable words. The
 * dictionaries load once: every caller gets the same estimator.
 */
export function loadStrengthEstimator(): Promise<StrengthEstimator> {
  estimator ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common")]).then(
    ([core, common]) =>
      createEstimator(
        new core.ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }),
      ),
  );
  // A failed chunk load (offline, deploy in progress) may be retried on the next call.
  estimator.catch(() => {
    estimator = undefined;
  });
  return estimator;
}
