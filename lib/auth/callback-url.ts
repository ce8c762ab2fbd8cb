/**
 * Where to go after signing in. Only a path on this origin is followed, judged after the URL
 * is parsed the way a browser parses it: `/\evil.example`, `/<TAB>/evil.example` and
 * `/\\evil.example` all look like paths as text but a browser reads them as another host.
 * Pure — used by the sign-in form (browser), the sign-in page and next-auth's redirect callback.
 */
export function safeCallbackPath(raw: string | null | undefined, origin: string): string {
  if (!raw) return "/";
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(origin).origin) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that itself starts with two slashes (or a backslash) would be protocol-relative again.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return "/";
  return path;
}
