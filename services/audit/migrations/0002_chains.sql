-- The log becomes AUDIT_CHAINS independent hash chains, so appends on many connections and machines
-- no longer queue behind one lock. Existing records are chain 0 and hash exactly as before.
ALTER TABLE "audit"."audit_record" ADD COLUMN "chain" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "audit"."audit_record" DROP CONSTRAINT "audit_record_pkey";--> statement-breakpoint
ALTER TABLE "audit"."audit_record" ADD CONSTRAINT "audit_record_chain_sequence_pk" PRIMARY KEY("chain","sequence");--> statement-breakpoint
ALTER TABLE "audit"."audit_record" ADD COLUMN "position" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (sequence name "audit"."audit_record_position_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1);--> statement-breakpoint
DROP INDEX "audit"."audit_record_nik_hash_idx";--> statement-breakpoint
CREATE INDEX "audit_record_nik_hash_position_idx" ON "audit"."audit_record" USING btree ("nik_hash","position");
