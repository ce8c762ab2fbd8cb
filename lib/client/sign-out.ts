/**
 * Signs the operator out the way next-auth's `signOut()` does (CSRF token, then POST
 * /api/auth/signout, then go where the server says), without loading `next-auth/react` into
 * every page's first-load JS for this one menu item. The server side (session revocation, the
 * audit event) is next-auth's own route, unchanged.
 */
export async function signOutTo(callbackUrl: string): Promise<void> {
  const csrf = (await (await fetch("/api/auth/csrf", { credentials: "same-origin" })).json()) as {
    csrfToken?: unknown;
  };
  const body = new URLSearchParams({
    csrfToken: typeof csrf.csrfToken === "string" ? csrf.csrfToken : "",
    callbackUrl,
    json: "true",
  });
  const response = await fetch("/api/auth/signout", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Auth-Return-Redirect": "1" },
    body,
  });
  const { url } = (await response.json().catch(() => ({}))) as { url?: unknown };
  // Only a same-origin destination; anything else means the default page.
  const target = typeof url === "string" ? new URL(url, window.location.href) : null;
  window.location.href = target && target.origin === window.location.origin ? target.href : callbackUrl;
}
