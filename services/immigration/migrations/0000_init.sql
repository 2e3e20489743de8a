CREATE SCHEMA "immigration";
--> statement-breakpoint
CREATE TYPE "immigration"."passport_status" AS ENUM('VALID', 'EXPIRED', 'REVOKED', 'LOST');--> statement-breakpoint
CREATE TABLE "immigration"."passport" (
	"number" varchar(8) PRIMARY KEY NOT NULL,
	"nik" varchar(16) NOT NULL,
	"status" "immigration"."passport_status" NOT NULL,
	"issued_on" date NOT NULL,
	"expires_on" date NOT NULL,
	"issuing_office" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "passport_nik_idx" ON "immigration"."passport" USING btree ("nik");