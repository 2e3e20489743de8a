CREATE SCHEMA "audit";
--> statement-breakpoint
CREATE TYPE "audit"."access_kind" AS ENUM('READ', 'CHANGE');--> statement-breakpoint
CREATE TYPE "audit"."actor_type" AS ENUM('user', 'client', 'anonymous');--> statement-breakpoint
CREATE TABLE "audit"."audit_record" (
	"sequence" bigint PRIMARY KEY NOT NULL,
	"recorded_at" timestamp(3) with time zone NOT NULL,
	"occurred_at" timestamp(3) with time zone NOT NULL,
	"service" text NOT NULL,
	"actor" text NOT NULL,
	"actor_type" "audit"."actor_type" NOT NULL,
	"client" text NOT NULL,
	"roles" text[] NOT NULL,
	"purpose" text,
	"nik_hash" char(64) NOT NULL,
	"fields" text[] NOT NULL,
	"kind" "audit"."access_kind" NOT NULL,
	"correlation_id" text NOT NULL,
	"prev_hash" char(64) NOT NULL,
	"hash" char(64) NOT NULL
);
--> statement-breakpoint
CREATE INDEX "audit_record_nik_hash_idx" ON "audit"."audit_record" USING btree ("nik_hash","sequence");