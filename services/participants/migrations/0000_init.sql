CREATE SCHEMA "participants";
--> statement-breakpoint
CREATE TYPE "participants"."connection_kind" AS ENUM('EVENTS', 'WEBHOOK');--> statement-breakpoint
CREATE TYPE "participants"."participant_kind" AS ENUM('AGENCY', 'BUMN', 'BANK', 'INTEGRATOR');--> statement-breakpoint
CREATE TYPE "participants"."participant_status" AS ENUM('REGISTERED', 'SANDBOX', 'ACTIVE', 'SUSPENDED', 'RETIRED');--> statement-breakpoint
CREATE TABLE "participants"."participant_change" (
	"position" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "participants"."participant_change_position_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"participant_code" varchar(40) NOT NULL,
	"action" text NOT NULL,
	"details" jsonb NOT NULL,
	"actor" text NOT NULL,
	"client" text NOT NULL,
	"roles" text[] NOT NULL,
	"correlation_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "participants"."participant" (
	"code" varchar(40) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" "participants"."participant_kind" NOT NULL,
	"regions_served" text[] NOT NULL,
	"contacts" jsonb NOT NULL,
	"status" "participants"."participant_status" NOT NULL,
	"connection_kind" "participants"."connection_kind" NOT NULL,
	"webhook_url" text,
	"client_id" text NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "participant_client_id_unique" UNIQUE("client_id"),
	CONSTRAINT "participant_webhook_url_matches_kind" CHECK (("participants"."participant"."connection_kind" = 'WEBHOOK') = ("participants"."participant"."webhook_url" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "participants"."webhook_secret" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"participant_code" varchar(40) NOT NULL,
	"secret" varchar(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retires_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "participants"."webhook_secret" ADD CONSTRAINT "webhook_secret_participant_code_participant_code_fk" FOREIGN KEY ("participant_code") REFERENCES "participants"."participant"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "participant_change_code_idx" ON "participants"."participant_change" USING btree ("participant_code","position");--> statement-breakpoint
CREATE INDEX "webhook_secret_participant_idx" ON "participants"."webhook_secret" USING btree ("participant_code","created_at");