import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secret-box";

const KEY = "a-server-secret-of-at-least-32-characters";

describe("secret box (TOTP secrets at rest)", () => {
  it("opens what it sealed, with a fresh IV each time, never containing the plaintext", () => {
    const first = sealSecret("GEZDGNBVGY3TQOJQ", KEY);
    const second = sealSecret("GEZDGNBVGY3TQOJQ", KEY);
    expect(first).not.toBe(second);
    expect(first).not.toContain("GEZDGNBVGY3TQOJQ");
    expect(first.split(".")[0]).toBe("v1");
    expect(openSecret(first, KEY)).toBe("GEZDGNBVGY3TQOJQ");
  });

  it("refuses another key and a tampered box", () => {
    const sealed = sealSecret("GEZDGNBVGY3TQOJQ", KEY);
    expect(openSecret(sealed, `${KEY}-rotated`)).toBeNull();
    const parts = sealed.split(".");
    const tampered = [parts[0], parts[1], parts[2], `A${(parts[3] ?? "").slice(1)}`].join(".");
    expect(openSecret(tampered === sealed ? `${sealed}A` : tampered, KEY)).toBeNull();
    expect(openSecret("v0.a.b.c", KEY)).toBeNull();
  });
});
