import { bulkResultsCsv } from "@/lib/bulk/jobs";
import { getPrisma } from "@/lib/db";
import { defineRoute, jsonError } from "@/lib/http/route";
import { bulkJobIdSchema } from "@/lib/validations/bulk";

/** GET /api/bulk/:id/results — one CSV row per item (formula cells escaped). */
export const GET = defineRoute<{ id: string }>("bulk:run", async (_request, { meta, params }) => {
  const id = bulkJobIdSchema.safeParse(params.id);
  const csv = id.success ? await bulkResultsCsv(await getPrisma(), id.data) : null;
  if (csv === null || !id.success) return jsonError(404, "not_found", "The job does not exist.", meta.requestId);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="bulk-${id.data}-results.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
});
