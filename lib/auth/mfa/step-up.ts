/**
 * Step-up ("sudo mode"): some permissions need an authentication within the last
 * STEP_UP_MINUTES. Pure; the clock is passed in.
 */
export type StepUpSettings = {
  windowMinutes: number;
  /**
   * Test hook (STEP_UP_STALE_EMAIL_SUFFIX, demo mode only): these operators' sign-in counts as
   * long ago, so they are never fresh until they step up (which then counts as usual).
   */
  staleEmailSuffix?: string;
};

export function isAuthenticationFresh(input: {
  authenticatedAt: Date;
  /** When the session was created (its sign-in); unknown means the authentication is the sign-in. */
  signedInAt?: Date | undefined;
  now: Date;
  email: string;
  settings: StepUpSettings;
}): boolean {
  const { authenticatedAt, signedInAt, now, email, settings } = input;
  const isSignIn = signedInAt === undefined || authenticatedAt.getTime() <= signedInAt.getTime();
  if (settings.staleEmailSuffix && email.endsWith(settings.staleEmailSuffix) && isSignIn) return false;
  const age = now.getTime() - authenticatedAt.getTime();
  return age >= 0 && age < settings.windowMinutes * 60_000;
}
