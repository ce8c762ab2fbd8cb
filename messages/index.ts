import type { Locale } from "@/i18n/config";

/**
 * Message catalogs, one JSON file per feature namespace and locale (messages/<locale>/<ns>.json),
 * so features can be worked on without editing one shared file. Add a namespace here once.
 */
const NAMESPACES = ["common", "errors", "auth", "shell", "operators", "users", "audit", "dangerZone", "security", "supportCase", "bulk", "account", "scope", "OperatorScope", "approvals"] as const;

export async function loadMessages(locale: Locale): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    NAMESPACES.map(async (namespace) => {
      const catalog = (await import(`./${locale}/${namespace}.json`)) as { default: Record<string, unknown> };
      return [namespace, catalog.default] as const;
    }),
  );
  return Object.fromEntries(entries);
}

export { NAMESPACES };
