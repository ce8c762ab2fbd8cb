import { NextResponse } from "next/server";
import { defineRoute, jsonError } from "@/lib/http/route";
import { auth0ErrorResponse } from "@/lib/users/responses";
import { searchUserDirectory } from "@/lib/users/search";
import { parseUserSearchQuery } from "@/lib/validations/users";

/**
 * GET /api/users?q=&field=&connection=&sort=&page=&perPage= — the users table's search, for
 * search-as-you-type from the browser (a route handler, not a server action: actions run one
 * at a time, and typing fires many overlapping reads). Always within the operator's scope.
 */
export const GET = defineRoute("users:read", async (request, { meta, operator }) => {
  const parsed = parseUserSearchQuery(request.nextUrl.searchParams);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const parameter = issue?.path.join(".") || "query";
    const isTooLong = issue?.code === "custom" && parameter === "q";
    return jsonError(
      400,
      isTooLong ? "too_long" : "invalid_params",
      `${parameter} ${issue?.message ?? "is invalid"}`,
      meta.requestId,
      {
        parameter,
      },
    );
  }
  try {
    const result = await searchUserDirectory(parsed.data, operator.scope);
    return NextResponse.json(result, { headers: { "Cache-Control": "private, no-store" } });
  } catch (error) {
    const response = auth0ErrorResponse(error, meta.requestId);
    if (response) return response;
    throw error;
  }
});
