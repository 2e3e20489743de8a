CREATE SCHEMA "licensing";
--> statement-breakpoint
CREATE TYPE "licensing"."business_risk_level" AS ENUM('LOW', 'MEDIUM_LOW', 'MEDIUM_HIGH', 'HIGH');--> statement-breakpoint
CREATE TYPE "licensing"."business_status" AS ENUM('ACTIVE', 'SUSPENDED', 'REVOKED');--> statement-breakpoint
CREATE TABLE "licensing"."business" (
	"nib" varchar(13) PRIMARY KEY NOT NULL,
	"owner_nik" varchar(16) NOT NULL,
	"name" text NOT NULL,
	"kbli" varchar(5) NOT NULL,
	"kbli_title" text NOT NULL,
	"risk_level" "licensing"."business_risk_level" NOT NULL,
	"status" "licensing"."business_status" NOT NULL,
	"issued_on" date NOT NULL
);
--> statement-breakpoint
CREATE INDEX "business_owner_nik_idx" ON "licensing"."business" USING btree ("owner_nik");