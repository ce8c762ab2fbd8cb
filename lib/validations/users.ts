import { z } from "zod";
import { MAX_LUCENE_QUERY_LENGTH, MAX_SEARCH_TEXT_LENGTH, SEARCH_FIELDS } from "@/lib/auth0/lucene";
import { PAGE_SIZES, type PageSize } from "@/lib/auth0/types";
import { DEFAULT_SEARCH_STATE, firstValues, parseSort } from "./users-state";

// The state, its defaults and its URL form are client-safe and live in ./users-state.ts.
export * from "./users-state";

const pageSize = z.coerce
  .number()
  .int()
  .refine((value): value is PageSize => (PAGE_SIZES as readonly number[]).includes(value), {
    message: `must be one of ${PAGE_SIZES.join(", ")}`,
  })
  .transform((value) => value as PageSize);

/** Strict: the route handler answers 400 for anything out of range, naming the parameter. */
export const userSearchQuerySchema = z
  .object({
    q: z.string().default(""),
    field: z.enum(SEARCH_FIELDS).default(DEFAULT_SEARCH_STATE.field),
    connection: z.string().trim().max(128, "must be at most 128 characters").default(""),
    sort: z
      .string()
      .default("")
      .refine((value) => value === "" || parseSort(value) !== undefined, {
        message: "is not a sortable column",
      }),
    page: z.coerce.number().int().min(1).max(1_000).default(1),
    perPage: pageSize.default(25),
  })
  .superRefine((value, context) => {
    const limit = value.field === "lucene" ? MAX_LUCENE_QUERY_LENGTH : MAX_SEARCH_TEXT_LENGTH;
    if (value.q.trim().length > limit) {
      context.addIssue({
        code: "custom",
        path: ["q"],
        message: `must be at most ${limit} characters`,
        params: { reason: "too_long", limit },
      });
    }
  });

/** Strict parse for the route handler. */
export function parseUserSearchQuery(
  source: URLSearchParams | Record<string, string | string[] | undefined>,
) {
  const record = firstValues(source);
  // Empty parameters (`?sort=&connection=`) mean "not set", as in a form submitted with blanks.
  for (const key of Object.keys(record)) if (record[key] === "") delete record[key];
  return userSearchQuerySchema.safeParse(record);
}
