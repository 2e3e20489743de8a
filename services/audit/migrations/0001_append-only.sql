-- The audit log is append-only: the service has no update or delete path, and the table refuses
-- them too. A DBA can still disable the triggers; the hash chain and the anchors catch that.
CREATE FUNCTION "audit"."refuse_audit_record_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "audit_record_append_only" BEFORE UPDATE OR DELETE ON "audit"."audit_record"
  FOR EACH ROW EXECUTE FUNCTION "audit"."refuse_audit_record_change"();
--> statement-breakpoint
CREATE TRIGGER "audit_record_no_truncate" BEFORE TRUNCATE ON "audit"."audit_record"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit"."refuse_audit_record_change"();
