import { readFileSync } from "node:fs";
import path from "node:path";
import type { ManagementApi } from "@/lib/auth0/client";
import type { AuthenticationApi } from "@/lib/auth0/password-operations";

/**
 * Shared by the fault and fuzz tests, which call the app's real server actions and route handlers
 * in-process. The framework stubs are in ../support/app-edges.ts (imported first); this module
 * holds the rest they share: the message catalogs and the process-wide Auth0 clients.
 */

type Catalog = Record<string, unknown>;

function loadCatalogs(locale: "en" | "ja"): Catalog {
  const directory = path.resolve(import.meta.dirname, "../../../messages", locale);
  const catalog: Catalog = {};
  for (const namespace of ["errors", "users", "dangerZone"]) {
    catalog[namespace] = JSON.parse(readFileSync(path.join(directory, `${namespace}.json`), "utf8")) as unknown;
  }
  return catalog;
}

const CATALOGS = { en: loadCatalogs("en"), ja: loadCatalogs("ja") };

/** The English and Japanese text for `namespace.key.path`, or undefined where either is missing. */
export function messageFor(fullKey: string): { en: string; ja: string } | undefined {
  const lookup = (catalog: Catalog): unknown =>
    fullKey
      .split(".")
      .reduce<unknown>(
        (node, part) => (typeof node === "object" && node !== null ? (node as Catalog)[part] : undefined),
        catalog,
      );
  const en = lookup(CATALOGS.en);
  const ja = lookup(CATALOGS.ja);
  return typeof en === "string" && typeof ja === "string" ? { en, ja } : undefined;
}

/**
 * The app reaches Auth0 through process-wide clients kept on globalThis (lib/auth0/client.ts and
 * passwords.ts). Tests put their own there, pointed at the in-process tenant.
 */
const holder = globalThis as typeof globalThis & {
  __passdeskManagementApi?: ManagementApi;
  __passdeskAuthenticationApi?: AuthenticationApi;
};

export function installAuth0Clients(api: ManagementApi, auth: AuthenticationApi): void {
  holder.__passdeskManagementApi = api;
  holder.__passdeskAuthenticationApi = auth;
}
