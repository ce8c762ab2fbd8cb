import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT_IP_HEADER,
  clientAddress,
  compileTrustProxy,
  REQUEST_ID_HEADER,
  sanitizeForwardedHeaders,
  SERVER_STAMP_HEADER,
} from "./forwarding";

/**
 * The client address as scripts/server.ts resolves it, over real sockets: a server on 127.0.0.1
 * answers with clientAddress() for the TRUST_PROXY setting named in the request path.
 */
let server: http.Server;
let port: number;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const setting = decodeURIComponent((request.url ?? "/").slice(1));
    response.end(clientAddress(request, compileTrustProxy(setting === "-" ? undefined : setting)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function addressSeen(trustProxy: string, forwardedFor?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      {
        host: "127.0.0.1",
        port,
        path: `/${encodeURIComponent(trustProxy)}`,
        headers: forwardedFor === undefined ? {} : { "X-Forwarded-For": forwardedFor },
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve(body));
      },
    );
    request.on("error", reject);
  });
}

describe("clientAddress (real sockets)", () => {
  it("without TRUST_PROXY, is the socket's peer whatever X-Forwarded-For says", async () => {
    expect(await addressSeen("-", "203.0.113.9")).toBe("127.0.0.1");
    expect(await addressSeen("false", "203.0.113.9")).toBe("127.0.0.1");
    expect(await addressSeen("-")).toBe("127.0.0.1");
  });

  it("behind a trusted loopback proxy, is the right-most hop the proxy saw, not the client's own claim", async () => {
    // The client sent "203.0.113.7"; the proxy appended the address it saw (198.51.100.2).
    expect(await addressSeen("loopback", "203.0.113.7, 198.51.100.2")).toBe("198.51.100.2");
  });

  it("skips every trusted hop of a proxy chain", async () => {
    expect(await addressSeen("loopback,10.0.0.0/8", "203.0.113.7, 198.51.100.2, 10.1.2.3")).toBe("198.51.100.2");
  });

  it("with TRUST_PROXY=true (compatibility), takes the left-most entry", async () => {
    expect(await addressSeen("true", "203.0.113.7, 198.51.100.2")).toBe("203.0.113.7");
  });

  it("falls back to the socket's peer when the chosen entry is not an IP address", async () => {
    expect(await addressSeen("true", "<script>, 198.51.100.2")).toBe("127.0.0.1");
  });

  it("refuses a TRUST_PROXY entry that is neither a name, an address nor a range", () => {
    expect(() => compileTrustProxy("loopback,proxy.example")).toThrow(TypeError);
  });
});

describe("sanitizeForwardedHeaders", () => {
  const STAMP = "s".repeat(43);

  it("drops a client's own client IP and request id, and X-Forwarded-Host, without the server stamp", () => {
    const headers = new Headers({
      [CLIENT_IP_HEADER]: "192.0.2.66",
      [REQUEST_ID_HEADER]: "forged-request-id",
      "x-forwarded-host": "evil.example",
    });
    const requestId = sanitizeForwardedHeaders(headers, STAMP);
    expect(headers.get(CLIENT_IP_HEADER)).toBeNull();
    expect(headers.get("x-forwarded-host")).toBeNull();
    expect(requestId).not.toBe("forged-request-id");
    expect(requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(headers.get(REQUEST_ID_HEADER)).toBe(requestId);
  });

  it("drops them with a wrong stamp, and when this process has no stamp (next start)", () => {
    for (const [sent, own] of [["wrong", STAMP], [STAMP, undefined]] as const) {
      const headers = new Headers({ [CLIENT_IP_HEADER]: "192.0.2.66", [SERVER_STAMP_HEADER]: sent });
      sanitizeForwardedHeaders(headers, own);
      expect(headers.get(CLIENT_IP_HEADER)).toBeNull();
      expect(headers.get(SERVER_STAMP_HEADER)).toBeNull();
    }
  });

  it("keeps what scripts/server.ts stamped, and removes the stamp itself", () => {
    const headers = new Headers({
      [CLIENT_IP_HEADER]: "198.51.100.2",
      [REQUEST_ID_HEADER]: "0b8f1c1e-2a53-4d6e-9a51-6c1f3b2d4e5f",
      [SERVER_STAMP_HEADER]: STAMP,
    });
    expect(sanitizeForwardedHeaders(headers, STAMP)).toBe("0b8f1c1e-2a53-4d6e-9a51-6c1f3b2d4e5f");
    expect(headers.get(CLIENT_IP_HEADER)).toBe("198.51.100.2");
    expect(headers.get(SERVER_STAMP_HEADER)).toBeNull();
  });
});
