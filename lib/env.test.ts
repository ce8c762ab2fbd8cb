import { describe, expect, it } from "vitest";
import { EnvError, LOCAL_TENANT_DEFAULTS, parseEnv } from "./env";

function errorOf(source: Record<string, string>): string {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.message;
    throw error;
  }
  throw new Error("expected an EnvError");
}

describe("configuration", () => {
  it("an empty environment is demo mode against the local tenant", () => {
    const env = parseEnv({});
    expect(env.isDemo).toBe(true);
    expect(env.PORT).toBe(3000);
    expect(env.auth0).toEqual({
      domain: "localhost:4443",
      clientId: LOCAL_TENANT_DEFAULTS.clientId,
      clientSecret: LOCAL_TENANT_DEFAULTS.clientSecret,
      resetClientId: LOCAL_TENANT_DEFAULTS.resetClientId,
      caFile: "./data/tenant/ca.pem",
    });
    expect(env.SUPPORT_CAN_SET_PASSWORD).toBe(true);
  });

  it("follows TENANT_PORT and DATA_DIR in demo mode; empty strings count as unset", () => {
    const env = parseEnv({ TENANT_PORT: "4543", DATA_DIR: "/tmp/pd/", AUTH0_DOMAIN: "" });
    expect(env.auth0.domain).toBe("localhost:4543");
    expect(env.auth0.caFile).toBe("/tmp/pd/tenant/ca.pem");
  });

  it("a real tenant needs its credentials, and names each missing variable", () => {
    const message = errorOf({ AUTH0_DOMAIN: "acme.eu.auth0.com" });
    expect(message).toContain("AUTH0_CLIENT_ID is required when AUTH0_DOMAIN is set");
    expect(message).toContain("AUTH0_CLIENT_SECRET is required when AUTH0_DOMAIN is set");
  });

  it("a real tenant in production needs a session secret of 32+ characters", () => {
    const base = { NODE_ENV: "production", AUTH0_DOMAIN: "acme.eu.auth0.com", AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "secret" };
    expect(errorOf(base)).toContain("NEXTAUTH_SECRET is required in production");
    expect(errorOf({ ...base, NEXTAUTH_SECRET: "short" })).toContain("NEXTAUTH_SECRET must be at least 32 characters");
    const env = parseEnv({ ...base, NEXTAUTH_SECRET: "x".repeat(40), AUTH0_RESET_CLIENT_ID: "reset-app" });
    expect(env.isDemo).toBe(false);
    expect(env.auth0.resetClientId).toBe("reset-app");
    expect(env.sessionSecret).toBe("x".repeat(40));
  });

  it("rejects malformed values with the variable's name", () => {
    expect(errorOf({ PORT: "eighty" })).toContain("PORT");
    expect(errorOf({ AUTH0_DOMAIN: "https://acme.auth0.com/" })).toContain("AUTH0_DOMAIN must be a bare host");
    expect(errorOf({ DATABASE_URL: "mysql://x" })).toContain("DATABASE_URL must be a postgresql:// URL");
    expect(errorOf({ SUPPORT_CAN_SET_PASSWORD: "maybe" })).toContain("SUPPORT_CAN_SET_PASSWORD");
  });

  it("protected users: a balanced Lucene query and a list of connection names; none by default", () => {
    const env = parseEnv({ PROTECTED_USERS_QUERY: ' app_metadata.roles:"admin" ', PROTECTED_CONNECTIONS: "Passdesk-Staff-DB, Break-Glass" });
    expect(env.PROTECTED_USERS_QUERY).toBe('app_metadata.roles:"admin"');
    expect(env.PROTECTED_CONNECTIONS).toEqual(["Passdesk-Staff-DB", "Break-Glass"]);
    expect(parseEnv({}).PROTECTED_USERS_QUERY).toBeUndefined();
    expect(parseEnv({}).PROTECTED_CONNECTIONS).toEqual([]);
    expect(errorOf({ PROTECTED_USERS_QUERY: "app_metadata.roles:(admin" })).toContain("PROTECTED_USERS_QUERY has unbalanced parentheses or quotes");
    expect(errorOf({ PROTECTED_USERS_QUERY: 'email:"x' })).toContain("PROTECTED_USERS_QUERY has unbalanced parentheses or quotes");
    expect(errorOf({ PROTECTED_USERS_QUERY: `email:${"a".repeat(1001)}` })).toContain("PROTECTED_USERS_QUERY is too long");
    expect(errorOf({ PROTECTED_CONNECTIONS: "Staff DB" })).toContain("PROTECTED_CONNECTIONS");
  });

  it("SUPPORT_CAN_SET_PASSWORD=false is read as false", () => {
    expect(parseEnv({ SUPPORT_CAN_SET_PASSWORD: "false" }).SUPPORT_CAN_SET_PASSWORD).toBe(false);
  });
});

describe("OIDC single sign-on settings", () => {
  const real = { AUTH0_DOMAIN: "acme.eu.auth0.com", AUTH0_CLIENT_ID: "id", AUTH0_CLIENT_SECRET: "secret" };

  it("demo mode signs in through the local tenant with its staff role mapping", () => {
    expect(parseEnv({ TENANT_PORT: "4543", DATA_DIR: "/tmp/pd" }).oidc).toEqual({
      issuer: "https://localhost:4543/",
      wellKnown: "https://localhost:4543/.well-known/openid-configuration",
      clientId: "passdesk-demo-oidc",
      clientSecret: "passdesk-demo-oidc-secret",
      name: "Passdesk Staff (demo IdP)",
      roleMapping: {
        claim: "https://passdesk.dev/roles",
        map: [
          { role: "ADMIN", group: "passdesk-admins" },
          { role: "SUPPORT", group: "helpdesk" },
          { role: "AUDITOR", group: "auditors" },
        ],
      },
      scopeMapping: null,
      caFile: "/tmp/pd/tenant/ca.pem",
    });
    expect(parseEnv({ OIDC_ISSUER: "off" }).oidc).toBeNull();
  });

  it("a real tenant has no SSO unless OIDC_ISSUER is set; then it needs the client and matches without mapping", () => {
    expect(parseEnv(real).oidc).toBeNull();
    const message = errorOf({ ...real, OIDC_ISSUER: "https://idp.example.com" });
    expect(message).toContain("OIDC_CLIENT_ID is required when OIDC_ISSUER is set");
    expect(message).toContain("OIDC_CLIENT_SECRET is required when OIDC_ISSUER is set");
    const env = parseEnv({ ...real, OIDC_ISSUER: "https://idp.example.com/realms/staff/", OIDC_CLIENT_ID: "pd", OIDC_CLIENT_SECRET: "s", OIDC_NAME: "Okta" });
    expect(env.oidc).toEqual({
      issuer: "https://idp.example.com/realms/staff/",
      wellKnown: "https://idp.example.com/realms/staff/.well-known/openid-configuration",
      clientId: "pd",
      clientSecret: "s",
      name: "Okta",
      roleMapping: null,
      scopeMapping: null,
      caFile: undefined,
    });
    expect(env.LOCAL_SIGN_IN).toBe(true);
  });

  it("validates the role map, its claim, the issuer URL and LOCAL_SIGN_IN", () => {
    const sso = { ...real, OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "pd", OIDC_CLIENT_SECRET: "s" };
    expect(errorOf({ ...sso, OIDC_ROLE_MAP: "owner=boss", OIDC_ROLE_CLAIM: "groups" })).toContain(
      'OIDC_ROLE_MAP must be role=group pairs separated by commas: "owner" is not a role (admin, support, auditor)',
    );
    expect(errorOf({ ...sso, OIDC_ROLE_MAP: "admin=it" })).toContain("OIDC_ROLE_CLAIM is required when OIDC_ROLE_MAP is set");
    expect(parseEnv({ ...sso, OIDC_ROLE_MAP: "admin=it,support=desk", OIDC_ROLE_CLAIM: "groups" }).oidc?.roleMapping).toEqual({
      claim: "groups",
      map: [
        { role: "ADMIN", group: "it" },
        { role: "SUPPORT", group: "desk" },
      ],
    });
    expect(errorOf({ ...sso, OIDC_ISSUER: "http://idp.example.com" })).toContain("OIDC_ISSUER must be the IdP's https:// issuer URL");
    expect(parseEnv({ ...sso, OIDC_ISSUER: "http://localhost:8080/realms/dev" }).oidc?.issuer).toBe("http://localhost:8080/realms/dev");
    expect(errorOf({ ...real, LOCAL_SIGN_IN: "false" })).toContain("LOCAL_SIGN_IN can be false only with OIDC_ISSUER set");
    expect(parseEnv({ ...sso, LOCAL_SIGN_IN: "false" }).LOCAL_SIGN_IN).toBe(false);
    expect(parseEnv({ LOCAL_SIGN_IN: "false" }).LOCAL_SIGN_IN).toBe(false);
  });

  it("validates the scope map and its claim (defaulting to the role claim) at start-up", () => {
    const sso = { ...real, OIDC_ISSUER: "https://idp.example.com", OIDC_CLIENT_ID: "pd", OIDC_CLIENT_SECRET: "s" };
    expect(errorOf({ ...sso, OIDC_SCOPE_MAP: '{"eu": {"filter": "app_metadata.region:(eu"}}', OIDC_SCOPE_CLAIM: "groups" })).toContain(
      'OIDC_SCOPE_MAP must be a JSON object from group to scope ({"connections": [], "organizations": [], "filter": "…"}) or null for the whole tenant: group "eu": filter: scope.filter_unbalanced',
    );
    expect(errorOf({ ...sso, OIDC_SCOPE_MAP: "eu=region:eu", OIDC_SCOPE_CLAIM: "groups" })).toContain(
      'or null for the whole tenant: is not JSON',
    );
    expect(errorOf({ ...sso, OIDC_SCOPE_MAP: '{"eu": {}}', OIDC_SCOPE_CLAIM: "groups" })).toContain(
      'group "eu" has an empty scope (write null for the whole tenant)',
    );
    expect(errorOf({ ...sso, OIDC_SCOPE_MAP: '{"*": null}' })).toContain("OIDC_SCOPE_CLAIM (or OIDC_ROLE_CLAIM) is required when OIDC_SCOPE_MAP is set");
    const eu = '{"eu-helpdesk": {"filter": "app_metadata.region:\\"eu\\""}, "*": null}';
    const mapped = [
      { group: "eu-helpdesk", scope: { connections: [], organizations: [], filter: 'app_metadata.region:"eu"' } },
      { group: "*", scope: null },
    ];
    expect(parseEnv({ ...sso, OIDC_SCOPE_MAP: eu, OIDC_ROLE_MAP: "admin=it", OIDC_ROLE_CLAIM: "groups" }).oidc?.scopeMapping).toEqual({ claim: "groups", map: mapped });
    expect(parseEnv({ ...sso, OIDC_SCOPE_MAP: eu, OIDC_ROLE_CLAIM: "groups", OIDC_SCOPE_CLAIM: "regions" }).oidc?.scopeMapping).toEqual({ claim: "regions", map: mapped });
    expect(parseEnv({ TENANT_PORT: "4543", DATA_DIR: "/tmp/pd", OIDC_SCOPE_MAP: eu }).oidc?.scopeMapping).toEqual({ claim: "https://passdesk.dev/roles", map: mapped });
  });
});
