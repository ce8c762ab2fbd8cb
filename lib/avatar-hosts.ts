/**
 * Hosts Passdesk loads user pictures from: Auth0's default avatars, Gravatar (and the image proxy
 * it redirects Auth0's default pictures through), and the big identity providers. A picture on any
 * other host is not requested at all — the request would tell whoever set the picture the
 * operator's IP address and when they looked — and the initials are shown instead. The same list
 * is the Content-Security-Policy's `img-src` (proxy.ts), so the browser enforces it too.
 * Client-safe: components/users/user-avatar.tsx imports it.
 */
export const AVATAR_HOSTS = [
  "cdn.auth0.com",
  "*.gravatar.com",
  "i0.wp.com",
  "i1.wp.com",
  "i2.wp.com",
  "lh3.googleusercontent.com",
  "lh4.googleusercontent.com",
  "lh5.googleusercontent.com",
  "lh6.googleusercontent.com",
  "avatars.githubusercontent.com",
  "platform-lookaside.fbsbx.com",
  "graph.facebook.com",
  "pbs.twimg.com",
  "media.licdn.com",
] as const;

function matchesHost(pattern: string, host: string): boolean {
  if (pattern.startsWith("*.")) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
  return host === pattern;
}

/** True for an https URL on one of AVATAR_HOSTS (default port only, as the CSP source allows). */
export function isAllowedAvatarUrl(picture: string): boolean {
  let url: URL;
  try {
    url = new URL(picture);
  } catch {
    return false;
  }
  if (url.protocol !== "https:" || url.port !== "" || url.username !== "" || url.password !== "") return false;
  const host = url.hostname.toLowerCase();
  return AVATAR_HOSTS.some((pattern) => matchesHost(pattern, host));
}

/** The CSP source list for AVATAR_HOSTS (`https://cdn.auth0.com https://*.gravatar.com …`). */
export function avatarImageSources(): string {
  return AVATAR_HOSTS.map((host) => `https://${host}`).join(" ");
}
