import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Agent, fetch as undiciFetch, type Response } from "undici";
import { z } from "zod";

/**
 * Passdesk over HTTP, signed in like a browser: next-auth's CSRF dance, the session cookie, the
 * users route handler and the Danger Zone server action (POST with `Next-Action`).
 */

export type PasswordActionResult = { ok: boolean; code: string | undefined; status: number };

export type PassdeskClient = {
  search(params: { q: string; field: string; perPage: number; page?: number }): Promise<{ total: number; users: number }>;
  setPassword(input: { userId: string; password: string; reason: string }): Promise<PasswordActionResult>;
  /** GET with the session cookie; resolves with the status (body read and dropped). */
  probe(pathname: string): Promise<number>;
  close(): Promise<void>;
};

const serverReferenceManifestSchema = z.object({
  node: z.record(
    z.string(),
    z.object({ workers: z.record(z.string(), z.unknown()), filename: z.string().optional(), exportedName: z.string().optional() }),
  ),
});

export type ActionRoute = { id: string; page: string };

/** The action id and the page it is posted to, from the build's server-reference manifest. */
export function findServerAction(distDir: string, filename: string, exportedName: string): ActionRoute | undefined {
  const file = path.join(distDir, "server", "server-reference-manifest.json");
  const manifest = serverReferenceManifestSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (entry.filename !== filename || entry.exportedName !== exportedName) continue;
    const worker = Object.keys(entry.workers)[0];
    if (worker) return { id, page: worker };
  }
  return undefined;
}

/** `app/(app)/users/[id]/page` + {id: "auth0|x"} → `/users/auth0%7Cx`. */
export function pagePath(worker: string, params: Record<string, string>): string {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((segment) => segment && !/^\(.*\)$/.test(segment))
    .map((segment) => {
      const name = /^\[(.+)\]$/.exec(segment)?.[1];
      if (!name) return segment;
      const value = params[name];
      if (value === undefined) throw new Error(`No value for route parameter ${name}`);
      return encodeURIComponent(value);
    });
  return `/${segments.join("/")}`;
}

class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const pair = header.split(";")[0] ?? "";
      const separator = pair.indexOf("=");
      if (separator > 0) this.cookies.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  has(predicate: (name: string) => boolean): boolean {
    return [...this.cookies.keys()].some(predicate);
  }
}

const csrfSchema = z.object({ csrfToken: z.string() });
const searchSchema = z.object({ total: z.number(), users: z.array(z.unknown()) });

export async function signInToPassdesk(
  appUrl: string,
  credentials: { email: string; password: string },
  options: { connections: number; setPasswordAction?: ActionRoute | undefined },
): Promise<PassdeskClient> {
  const dispatcher = new Agent({ connections: options.connections, pipelining: 0 });
  const jar = new CookieJar();
  const csrfResponse = await undiciFetch(`${appUrl}/api/auth/csrf`, { dispatcher });
  jar.store(csrfResponse);
  const { csrfToken } = csrfSchema.parse(await csrfResponse.json());
  const signIn = await undiciFetch(`${appUrl}/api/auth/callback/credentials`, {
    method: "POST",
    dispatcher,
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar.header() },
    body: new URLSearchParams({ email: credentials.email, password: credentials.password, csrfToken, json: "true" }).toString(),
  });
  jar.store(signIn);
  await signIn.body?.cancel();
  if (!jar.has((name) => name.includes("session-token"))) {
    await dispatcher.close();
    throw new Error(`Signing in to Passdesk as ${credentials.email} failed (status ${signIn.status})`);
  }
  const cookie = jar.header();

  return {
    async search({ q, field, perPage, page = 1 }) {
      const query = new URLSearchParams({ q, field, page: String(page), perPage: String(perPage) });
      const response = await undiciFetch(`${appUrl}/api/users?${query.toString()}`, { dispatcher, headers: { Cookie: cookie } });
      if (!response.ok) throw new Error(`GET /api/users → ${response.status} ${await response.text()}`);
      const body = searchSchema.parse(await response.json());
      return { total: body.total, users: body.users.length };
    },

    async setPassword({ userId, password, reason }) {
      const action = options.setPasswordAction;
      if (!action) throw new Error("setPasswordAction is not in this build");
      const response = await undiciFetch(`${appUrl}${pagePath(action.page, { id: userId })}`, {
        method: "POST",
        dispatcher,
        redirect: "manual",
        headers: {
          Cookie: cookie,
          "Next-Action": action.id,
          "Content-Type": "text/plain;charset=UTF-8",
          Accept: "text/x-component",
          Origin: appUrl,
        },
        body: JSON.stringify([{ userId, password, reason, idempotencyKey: randomUUID(), generated: true }]),
      });
      const text = await response.text();
      // The action's return value is one line of the RSC stream: {"ok":true,…} or {"ok":false,"code":…}.
      const ok = /"ok":true/.test(text);
      const code = /"ok":false,"code":"([a-z_]+)"/.exec(text)?.[1];
      return { ok: response.ok && ok, code: ok ? undefined : (code ?? `http_${response.status}`), status: response.status };
    },

    async probe(pathname) {
      const response = await undiciFetch(`${appUrl}${pathname}`, { dispatcher, headers: { Cookie: cookie }, redirect: "manual" });
      await response.arrayBuffer();
      return response.status;
    },

    close: () => dispatcher.close(),
  };
}
