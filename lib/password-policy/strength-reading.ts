import type { ForeseenRefusal } from "./policy";
import type { StrengthScore } from "./strength";

/**
 * What the strength meter shows, from zxcvbn's score and the policy's verdict (pure, client-safe):
 * - `refused`: a rule the form can check refuses the password; one red bar, whatever zxcvbn says
 *   (it cannot know the connection's dictionary or the policy);
 * - `weakButValid`: every checkable rule is met but zxcvbn finds it easy to guess (score ≤ 2):
 *   shown with the reason the two disagree;
 * - `score`: the estimate as it is.
 * Null while the estimator is loading.
 */
export type MeterReading =
  | { kind: "refused"; refusal: ForeseenRefusal; bars: 0 }
  | { kind: "weakButValid"; score: StrengthScore; bars: StrengthScore }
  | { kind: "score"; score: StrengthScore; bars: StrengthScore };

/** At or below this zxcvbn score a policy-compliant password gets the explanation. */
export const WEAK_SCORE = 2;

export function meterReading(score: StrengthScore | null, refusal: ForeseenRefusal | null): MeterReading | null {
  if (refusal) return { kind: "refused", refusal, bars: 0 };
  if (score === null) return null;
  if (score <= WEAK_SCORE) return { kind: "weakButValid", score, bars: score };
  return { kind: "score", score, bars: score };
}
