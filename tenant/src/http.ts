import type { IncomingMessage, ServerResponse } from "node:http";

export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  415: "Unsupported Media Type",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? "Error";
}

/** An expected failure with the Management API error shape; the router turns it into a response. */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly errorCode?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** An Authentication API failure: `{error, error_description}` bodies. */
export class OAuthError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "Content-Type": JSON_CONTENT_TYPE,
    "Content-Length": Buffer.byteLength(payload),
  });
  res.end(payload);
}

export function sendApiError(res: ServerResponse, error: ApiError): void {
  sendJson(res, error.statusCode, {
    statusCode: error.statusCode,
    error: reasonPhrase(error.statusCode),
    message: error.message,
    ...(error.errorCode === undefined ? {} : { errorCode: error.errorCode }),
    ...error.extra,
  });
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain; charset=utf-8",
): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

// No form-action directive: Chromium applies it to the redirect after the reset form is posted,
// which would block the redirect to a ticket's result_url.
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.setHeader("Cache-Control", "no-store");
  res.setHeader(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  );
  sendText(res, status, html, "text/html; charset=utf-8");
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function readRawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "Payload too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses a JSON or form-encoded body into an object (the Authentication API accepts both). */
export async function readBody(req: IncomingMessage): Promise<JsonObject> {
  const raw = await readRawBody(req);
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  if (raw.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError(400, "Invalid request payload JSON format", "invalid_body");
  }
  if (!isJsonObject(parsed))
    throw new ApiError(
      400,
      "Payload validation error: 'Expected type object but found type array'.",
      "invalid_body",
    );
  return parsed;
}

/** readBody for the Authentication API: a body it cannot read is a 400 invalid_request. */
export async function readOAuthBody(req: IncomingMessage): Promise<JsonObject> {
  try {
    return await readBody(req);
  } catch {
    throw new OAuthError(400, "invalid_request", "Invalid request body");
  }
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The client address, without the IPv4-mapped IPv6 prefix. */
export function clientIp(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
