import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import tseslint from "typescript-eslint";

const config = [
  { ignores: ["node_modules/**", ".next/**", ".next-*/**", "data/**", "lib/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    files: ["**/*.ts", "**/*.tsx"],
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read configuration through lib/env.ts (getEnv()), not process.env.",
        },
      ],
    },
  },
  {
    // The env module itself, scripts, tests and the local tenant (a separate program) may read process.env.
    files: ["lib/env.ts", "instrumentation.ts", "scripts/**", "tenant/**", "e2e/**", "test/**", "bench/**", "playwright.config.ts", "vitest.config.mts", "prisma.config.ts", "**/*.test.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    files: ["app/**", "components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { paths: [{ name: "auth0", message: "Only lib/auth0/ talks to Auth0." }] },
      ],
    },
  },
  {
    // One hop from the route: pages and route handlers reach Auth0 through a service in lib/
    // (lib/users/…), never lib/auth0 itself; its types (DTOs, errors) may be named.
    files: ["app/**"],
    rules: {
      "no-restricted-imports": "off",
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [{ name: "auth0", message: "Only lib/auth0/ talks to Auth0." }],
          patterns: [
            {
              group: ["@/lib/auth0", "@/lib/auth0/*"],
              allowTypeImports: true,
              message: "Pages and route handlers reach Auth0 through a service in lib/ (e.g. lib/users/search.ts).",
            },
          ],
        },
      ],
    },
  },
  { files: ["next.config.js"], rules: { "@typescript-eslint/no-require-imports": "off" } },
];

export default config;
