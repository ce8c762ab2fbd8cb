-- Hand-written: the audit log is append-only. Prisma has no syntax for triggers, so this
-- migration is not generated from schema.prisma and causes no drift (triggers and functions
-- are not part of Prisma's schema model).

-- Refuse any change to an existing audit event, whoever asks. TRUNCATE is refused too: it
-- bypasses row-level DELETE triggers.
CREATE FUNCTION "audit_event_refuse_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed (the audit log cannot be edited or deleted)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "AuditEvent_append_only"
    BEFORE UPDATE OR DELETE ON "AuditEvent"
    FOR EACH ROW EXECUTE FUNCTION "audit_event_refuse_change"();

CREATE TRIGGER "AuditEvent_no_truncate"
    BEFORE TRUNCATE ON "AuditEvent"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_refuse_change"();

-- The chain starts empty: sequence 0, hash of 64 zeros. Appends lock and advance this row.
INSERT INTO "AuditChainHead" ("id", "sequence", "hash", "updatedAt")
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000', CURRENT_TIMESTAMP);
