/** Who acted: their email, or "anonymous" (a failed sign-in), with the role they had then. Pure. */
export function ActorLabel({
  email,
  roleLabel,
  anonymousLabel,
}: {
  email: string | null;
  roleLabel: string | null;
  anonymousLabel: string;
}) {
  return (
    <>
      <div>{email ?? anonymousLabel}</div>
      {roleLabel ? <div className="text-xs text-slate-600 dark:text-slate-400">{roleLabel}</div> : null}
    </>
  );
}
