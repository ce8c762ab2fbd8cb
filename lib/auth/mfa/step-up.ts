/**
 * Step-up ("sudo mode"): some permissions need an authentication within the last
 * STEP_UP_MINUTES. Pure; the clock is passed in.
 */
export type StepUpSettings = {
  windowMinutes: number;
  /** Test hook (STEP_UP_STALE_EMAIL_SUFFIX, demo mode only): these operators are never fresh. */
  staleEmailSuffix?: string;
};

export function isAuthenticationFresh(input: { authenticatedAt: Date; now: Date; email: string; settings: StepUpSettings }): boolean {
  const { authenticatedAt, now, email, settings } = input;
  if (settings.staleEmailSuffix && email.endsWith(settings.staleEmailSuffix)) return false;
  const age = now.getTime() - authenticatedAt.getTime();
  return age >= 0 && age < settings.windowMinutes * 60_000;
}
