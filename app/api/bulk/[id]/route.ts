import { NextResponse } from "next/server";
import { getBulkJobProgress } from "@/lib/bulk/jobs";
import { getPrisma } from "@/lib/db";
import { defineRoute, jsonError } from "@/lib/http/route";
import { bulkJobIdSchema } from "@/lib/validations/bulk";

/** GET /api/bulk/:id — a job's live progress (the progress page polls it). */
export const GET = defineRoute<{ id: string }>("bulk:run", async (_request, { meta, params }) => {
  const id = bulkJobIdSchema.safeParse(params.id);
  const progress = id.success ? await getBulkJobProgress(await getPrisma(), id.data) : null;
  if (!progress) return jsonError(404, "not_found", "The job does not exist.", meta.requestId);
  return NextResponse.json(progress, { headers: { "Cache-Control": "private, no-store" } });
});
