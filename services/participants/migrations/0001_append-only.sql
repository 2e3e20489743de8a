-- The registry's change history is append-only: the service has no update or delete path, and the
-- table refuses them too.
CREATE FUNCTION "participants"."refuse_participant_change_edit"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'participant changes are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "participant_change_append_only" BEFORE UPDATE OR DELETE ON "participants"."participant_change"
  FOR EACH ROW EXECUTE FUNCTION "participants"."refuse_participant_change_edit"();
--> statement-breakpoint
CREATE TRIGGER "participant_change_no_truncate" BEFORE TRUNCATE ON "participants"."participant_change"
  FOR EACH STATEMENT EXECUTE FUNCTION "participants"."refuse_participant_change_edit"();
