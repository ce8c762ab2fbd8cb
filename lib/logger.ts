import "server-only";
import pino from "pino";
import { getEnv } from "@/lib/env";

/**
 * Structured logs (JSON lines). Any field that could carry a secret is redacted by path, so a
 * careless `logger.info({ body })` cannot leak a password, token or cookie.
 */
export const logger = pino({
  level: getEnv().LOG_LEVEL,
  base: { service: "passdesk" },
  redact: {
    paths: [
      "password",
      "*.password",
      "*.*.password",
      "newPassword",
      "*.newPassword",
      "confirmPassword",
      "*.confirmPassword",
      "token",
      "*.token",
      "accessToken",
      "*.access_token",
      "ticket",
      "*.ticket",
      "clientSecret",
      "*.clientSecret",
      "*.client_secret",
      "secret",
      "*.secret",
      "cookie",
      "*.cookie",
      "headers.authorization",
      "*.headers.authorization",
      "authorization",
      "*.authorization",
    ],
    censor: "[redacted]",
  },
});
