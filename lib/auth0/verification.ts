import "server-only";
import { z } from "zod";
import { getManagementApi, type ManagementApi } from "./client";
import { Auth0NotFoundError, parseResponse } from "./errors";
import { runScoped } from "./scopes";
import { isPlausibleUserId } from "./users";

export type VerificationEmailJob = {
  /** `job_…` */
  jobId: string;
  /** Auth0 answers `pending`; the email goes out shortly after. */
  status: string;
  createdAt: string | null;
};

const jobSchema = z
  .object({ id: z.string(), status: z.string(), created_at: z.string().nullish() })
  .passthrough();

/**
 * Sends the user a verification email (`POST /api/v2/jobs/verification-email`, scope
 * update:users), with the template of `clientId` when given. Not idempotent: a retry would
 * send a second email, so the call is never retried. Throws Auth0NotFoundError for an unknown
 * user, Auth0ScopeError naming update:users when the scope is missing.
 */
export async function sendVerificationEmail(
  userId: string,
  options: { clientId?: string | undefined } = {},
  api: ManagementApi = getManagementApi(),
): Promise<VerificationEmailJob> {
  if (!isPlausibleUserId(userId)) throw new Auth0NotFoundError("The user does not exist.", "inexistent_user");
  const raw = await runScoped(api, "jobs.verificationEmail.create", ["update:users"], (client, callOptions) =>
    client.jobs.verificationEmail.create(
      { user_id: userId, ...(options.clientId ? { client_id: options.clientId } : {}) },
      callOptions,
    ),
  );
  const job = parseResponse(jobSchema, raw, "a job");
  return { jobId: job.id, status: job.status, createdAt: job.created_at ?? null };
}
