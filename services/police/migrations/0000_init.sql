CREATE SCHEMA "police";
--> statement-breakpoint
CREATE TYPE "police"."sim_class" AS ENUM('A', 'B1', 'B2', 'C', 'D');--> statement-breakpoint
CREATE TYPE "police"."vehicle_kind" AS ENUM('MOTORCYCLE', 'CAR');--> statement-breakpoint
CREATE TABLE "police"."driving_licence" (
	"number" varchar(12) PRIMARY KEY NOT NULL,
	"nik" varchar(16) NOT NULL,
	"class" "police"."sim_class" NOT NULL,
	"issued_on" date NOT NULL,
	"expires_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "police"."vehicle" (
	"plate_number" varchar(11) PRIMARY KEY NOT NULL,
	"owner_nik" varchar(16) NOT NULL,
	"kind" "police"."vehicle_kind" NOT NULL,
	"brand" text NOT NULL,
	"model" text NOT NULL,
	"manufacture_year" integer NOT NULL,
	"stnk_expires_on" date NOT NULL
);
--> statement-breakpoint
CREATE INDEX "driving_licence_nik_idx" ON "police"."driving_licence" USING btree ("nik");--> statement-breakpoint
CREATE INDEX "vehicle_owner_nik_idx" ON "police"."vehicle" USING btree ("owner_nik");