import { describe, expect, it } from "vitest";
import { avatarImageSources, isAllowedAvatarUrl } from "./avatar-hosts";

describe("isAllowedAvatarUrl", () => {
  it.each([
    "https://s.gravatar.com/avatar/0c1f?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fad.png",
    "https://secure.gravatar.com/avatar/abc",
    "https://cdn.auth0.com/avatars/ad.png",
    "https://lh3.googleusercontent.com/a/ACg8ocK",
    "https://avatars.githubusercontent.com/u/1?v=4",
    "https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=1",
    "https://graph.facebook.com/1/picture",
  ])("allows %s", (url) => {
    expect(isAllowedAvatarUrl(url)).toBe(true);
  });

  it.each([
    "https://evil.example/pixel.png",
    "https://gravatar.com.evil.example/a.png",
    "https://evilgravatar.com/a.png",
    "https://cdn.auth0.com.evil.example/a.png",
    "http://cdn.auth0.com/avatars/ad.png",
    "https://cdn.auth0.com:8443/avatars/ad.png",
    "https://user@cdn.auth0.com/avatars/ad.png",
    "javascript:alert(1)",
    "data:image/png;base64,AAAA",
    "not a url",
  ])("refuses %s", (url) => {
    expect(isAllowedAvatarUrl(url)).toBe(false);
  });
});

describe("avatarImageSources", () => {
  it("lists https sources only, never a bare scheme", () => {
    const sources = avatarImageSources().split(" ");
    expect(sources).toContain("https://cdn.auth0.com");
    expect(sources).toContain("https://*.gravatar.com");
    expect(sources).not.toContain("https:");
  });
});
