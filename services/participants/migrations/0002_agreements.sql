CREATE TYPE "participants"."agreement_status" AS ENUM('DRAFT', 'ACTIVE', 'SUSPENDED', 'ENDED');--> statement-breakpoint
CREATE TYPE "participants"."grant_status" AS ENUM('PENDING', 'APPROVED', 'REVOKED');--> statement-breakpoint
CREATE TABLE "participants"."access_grant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agreement_id" uuid NOT NULL,
	"item" text NOT NULL,
	"claims" text[] NOT NULL,
	"purposes" text[] NOT NULL,
	"status" "participants"."grant_status" NOT NULL,
	"requested_by" text NOT NULL,
	"approved_by" text,
	"approved_at" timestamp with time zone,
	"revoked_by" text,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "participants"."agreement" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"number" varchar(80) NOT NULL,
	"participant_code" varchar(40) NOT NULL,
	"owner_agency" varchar(40) NOT NULL,
	"signed_on" date NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date NOT NULL,
	"status" "participants"."agreement_status" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agreement_number_unique" UNIQUE("number"),
	CONSTRAINT "agreement_period" CHECK ("participants"."agreement"."valid_from" <= "participants"."agreement"."valid_until")
);
--> statement-breakpoint
ALTER TABLE "participants"."access_grant" ADD CONSTRAINT "access_grant_agreement_id_agreement_id_fk" FOREIGN KEY ("agreement_id") REFERENCES "participants"."agreement"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants"."agreement" ADD CONSTRAINT "agreement_participant_code_participant_code_fk" FOREIGN KEY ("participant_code") REFERENCES "participants"."participant"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_grant_agreement_idx" ON "participants"."access_grant" USING btree ("agreement_id");