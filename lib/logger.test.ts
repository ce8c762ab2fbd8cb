import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, REDACTED_KEYS, runWithRequestLogger, getRequestLogger } from "./logger";

/** A pino destination that keeps every line, parsed. */
function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString("utf8"));
      callback();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const SECRET = "Correct-Horse-Battery-9!";

describe("logger redaction", () => {
  it("redacts a password at the top level and nested, and keeps other fields", () => {
    const { stream, lines } = capture();
    const log = createLogger({ level: "info", destination: stream });
    log.info(
      {
        userId: "auth0|abc",
        password: SECRET,
        input: { newPassword: SECRET, confirmPassword: SECRET, reason: "INC-1" },
        err: { cause: { request: { headers: { authorization: `Bearer ${SECRET}`, cookie: SECRET } } } },
        ["set-cookie"]: SECRET,
        response: { headers: { ["set-cookie"]: SECRET } },
      },
      "test line",
    );
    const [line] = lines();
    expect(JSON.stringify(line)).not.toContain(SECRET);
    expect(line).toMatchObject({
      userId: "auth0|abc",
      password: "[redacted]",
      input: { newPassword: "[redacted]", confirmPassword: "[redacted]", reason: "INC-1" },
      err: { cause: { request: { headers: { authorization: "[redacted]", cookie: "[redacted]" } } } },
      "set-cookie": "[redacted]",
      response: { headers: { "set-cookie": "[redacted]" } },
    });
  });

  it.each(REDACTED_KEYS)("redacts %s six levels deep", (key) => {
    const { stream, lines } = capture();
    const log = createLogger({ level: "info", destination: stream });
    log.info({ a: { b: { c: { d: { e: { f: { [key]: SECRET } } } } } } }, "deep");
    expect(JSON.stringify(lines()[0])).not.toContain(SECRET);
    expect(JSON.stringify(lines()[0])).toContain("[redacted]");
  });
});

describe("request logger", () => {
  it("binds the request id and operator id to every line logged inside the request", async () => {
    const logged = await runWithRequestLogger({ requestId: "req-123", operatorId: "op-1" }, async () => {
      const log = await getRequestLogger();
      return log.bindings();
    });
    expect(logged).toMatchObject({ requestId: "req-123", operatorId: "op-1" });
  });

  it("falls back to the process logger outside a request", async () => {
    const log = await getRequestLogger();
    expect(log.bindings()).not.toHaveProperty("requestId");
  });
});
