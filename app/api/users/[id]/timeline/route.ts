import { NextResponse } from "next/server";
import { z } from "zod";
import { defineRoute, jsonError } from "@/lib/http/route";
import { loadTimelinePage } from "@/lib/support-case/service";
import { decodeTimelineCursor } from "@/lib/support-case/timeline";
import { userIdFromParam } from "@/lib/users/profile";
import { auth0ErrorResponse } from "@/lib/users/responses";
import { findUserProfile } from "@/lib/users/search";

const querySchema = z.object({ cursor: z.string().max(400).optional() }).strict();

/**
 * GET /api/users/:id/timeline?cursor=… — one page of the user's sign-in timeline (tenant logs
 * and every operator's audit events on this user). `users:read`: it is what the profile shows.
 * The user is re-read (in parallel with the page) so an unknown user is a 404, never an empty story;
 * a user outside the operator's scope is the same 404.
 */
export const GET = defineRoute<{ id: string }>("users:read", async (request, { meta, operator, params }) => {
  const parsed = querySchema.safeParse(Object.fromEntries(request.nextUrl.searchParams));
  const cursor = parsed.success ? decodeTimelineCursor(parsed.data.cursor) : null;
  if (!cursor) return jsonError(400, "invalid_cursor", "The timeline cursor is not valid.", meta.requestId);
  const userId = userIdFromParam(params.id);
  try {
    const [user, page] = await Promise.all([findUserProfile(userId, operator.scope), loadTimelinePage(userId, cursor)]);
    if (!user) return jsonError(404, "not_found", "The user does not exist.", meta.requestId);
    return NextResponse.json(page, { headers: { "Cache-Control": "private, no-store" } });
  } catch (error) {
    const response = auth0ErrorResponse(error, meta.requestId);
    if (response) return response;
    throw error;
  }
});
