import { afterEach } from "vitest";
import { resetAuth0BusyGates } from "@/lib/auth0/busy-gate";
import { resetAuth0Health } from "@/lib/auth0/health";
import { setUpHarness, type Harness } from "../passwords/harness";

/**
 * The harness for tests that tell the tenant to misbehave (through its control API): after each
 * test the faults are cleared and the app forgets what they left behind — cached reads, the shared
 * Auth0 backoff and the health signal — so every test starts from a healthy tenant.
 */
export function setUpFaultHarness(): Harness {
  process.env.LOG_LEVEL = "silent";
  const h = setUpHarness();
  afterEach(async () => {
    await h.control("DELETE", "/faults");
    h.api.clearCache();
    resetAuth0BusyGates();
    resetAuth0Health();
  });
  return h;
}
