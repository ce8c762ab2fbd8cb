import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, getJson, retryUnlessClientError } from "./api-fetch";

/** A real HTTP server answering like Passdesk's route handlers do. */
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const send = (status: number, body: string) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(body);
    };
    if (request.url === "/ok") return send(200, JSON.stringify({ users: [], total: 0 }));
    if (request.url === "/limited")
      return send(
        429,
        JSON.stringify({
          error: {
            code: "rate_limited",
            message: "Slow down.",
            retryAt: "2026-12-01T10:00:00.000Z",
            requestId: "req-123",
          },
        }),
      );
    return send(502, "<html>bad gateway</html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe("getJson", () => {
  it("returns the body of a successful answer", async () => {
    expect(await getJson(`${base}/ok`, undefined)).toEqual({ users: [], total: 0 });
  });

  it("turns an error answer into an ApiError with its code, retry time and request id", async () => {
    const error = await getJson(`${base}/limited`, undefined).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      code: "rate_limited",
      message: "Slow down.",
      retryAt: "2026-12-01T10:00:00.000Z",
      requestId: "req-123",
    });
  });

  it("an answer without a JSON error body is 'internal' with the status text", async () => {
    const error = await getJson(`${base}/broken`, undefined).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 502, code: "internal", message: "Bad Gateway", retryAt: null, requestId: null });
  });

  it("no answer at all is a 'network' error", async () => {
    const error = await getJson("http://127.0.0.1:1/", undefined).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ status: 0, code: "network" });
  });
});

describe("retryUnlessClientError", () => {
  it("retries a server or network failure once, never a 4xx", () => {
    expect(retryUnlessClientError(0, new ApiError(502, "upstream_unavailable", "", null, null))).toBe(true);
    expect(retryUnlessClientError(0, new ApiError(0, "network", "", null, null))).toBe(true);
    expect(retryUnlessClientError(1, new ApiError(502, "upstream_unavailable", "", null, null))).toBe(false);
    expect(retryUnlessClientError(0, new ApiError(429, "rate_limited", "", null, null))).toBe(false);
    expect(retryUnlessClientError(0, new ApiError(400, "invalid_query", "", null, null))).toBe(false);
  });
});
