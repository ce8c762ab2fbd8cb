-- Scoped operators (issue 16): an operator may be limited to some users of the tenant.
-- NULL = the whole tenant. Otherwise a JSON object {"connections": [...], "organizations": [...],
-- "filter": "<Lucene>" | null}, validated on save (lib/scope/schema.ts); a stored value that no
-- longer parses or resolves limits the operator to nobody, never to everybody.
ALTER TABLE "Operator" ADD COLUMN "scope" JSONB;
