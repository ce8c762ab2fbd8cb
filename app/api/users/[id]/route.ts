import { NextResponse } from "next/server";
import { defineRoute, jsonError } from "@/lib/http/route";
import { auth0ErrorResponse } from "@/lib/users/responses";
import { findUserProfile } from "@/lib/users/search";

/** GET /api/users/:id — one user's profile DTO (hover prefetch in the users table); out of scope = 404. */
export const GET = defineRoute<{ id: string }>("users:read", async (_request, { meta, operator, params }) => {
  try {
    const user = await findUserProfile(params.id, operator.scope);
    if (!user) return jsonError(404, "not_found", "The user does not exist.", meta.requestId);
    return NextResponse.json(user, { headers: { "Cache-Control": "private, no-store" } });
  } catch (error) {
    const response = auth0ErrorResponse(error, meta.requestId);
    if (response) return response;
    throw error;
  }
});
