import { describe, expect, it } from "vitest";
import { isAllowedResultUrl } from "./create-reset-ticket";

describe("isAllowedResultUrl", () => {
  const hosts = ["app.example.com", "Help.Example.org"];

  it("allows https URLs on a listed host, whatever the case", () => {
    expect(isAllowedResultUrl("https://app.example.com/welcome", hosts)).toBe(true);
    expect(isAllowedResultUrl("https://APP.example.com", hosts)).toBe(true);
    expect(isAllowedResultUrl("https://help.example.org/done?lang=ja", hosts)).toBe(true);
  });

  it("refuses other hosts, look-alikes and subdomains", () => {
    expect(isAllowedResultUrl("https://evil.example/phish", hosts)).toBe(false);
    expect(isAllowedResultUrl("https://app.example.com.evil.example/", hosts)).toBe(false);
    expect(isAllowedResultUrl("https://login.app.example.com/", hosts)).toBe(false);
    expect(isAllowedResultUrl("https://app.example.com@evil.example/", hosts)).toBe(false);
  });

  it("refuses plain http, credentials in the URL, unparsable input and secret-looking queries", () => {
    expect(isAllowedResultUrl("http://app.example.com/", hosts)).toBe(false);
    expect(isAllowedResultUrl("https://user:pw@app.example.com/", hosts)).toBe(false);
    expect(isAllowedResultUrl("not a url", hosts)).toBe(false);
    expect(isAllowedResultUrl("https://app.example.com/cb?token=abc", hosts)).toBe(false);
  });

  it("refuses everything when no host is configured", () => {
    expect(isAllowedResultUrl("https://app.example.com/", [])).toBe(false);
  });
});
