CREATE SCHEMA "applications";
--> statement-breakpoint
CREATE TYPE "applications"."application_status" AS ENUM('SUBMITTED', 'IN_PROGRESS', 'COMPLETED', 'PARTIALLY_REJECTED', 'REJECTED');--> statement-breakpoint
CREATE TYPE "applications"."application_type" AS ENUM('BUSINESS_START', 'MARRIAGE_REGISTRATION', 'ADDRESS_CHANGE', 'BIRTH_REGISTRATION', 'VEHICLE_ANNUAL_RENEWAL', 'PASSPORT_APPLICATION');--> statement-breakpoint
CREATE TABLE "applications"."application" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" "applications"."application_type" NOT NULL,
	"applicant_nik" varchar(16) NOT NULL,
	"status" "applications"."application_status" DEFAULT 'SUBMITTED' NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"mpp_office" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "application_applicant_nik_submitted_at_idx" ON "applications"."application" USING btree ("applicant_nik","submitted_at");