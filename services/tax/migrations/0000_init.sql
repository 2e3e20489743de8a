CREATE SCHEMA "tax";
--> statement-breakpoint
CREATE TYPE "tax"."bill_status" AS ENUM('UNPAID', 'PAID', 'OVERDUE');--> statement-breakpoint
CREATE TABLE "tax"."property_tax_bill" (
	"nop" varchar(18) NOT NULL,
	"year" integer NOT NULL,
	"owner_nik" varchar(16) NOT NULL,
	"amount" integer NOT NULL,
	"status" "tax"."bill_status" NOT NULL,
	"due_on" date NOT NULL,
	CONSTRAINT "property_tax_bill_pk" PRIMARY KEY("nop","year")
);
--> statement-breakpoint
CREATE TABLE "tax"."taxpayer" (
	"npwp" varchar(16) PRIMARY KEY NOT NULL,
	"nik" varchar(16) NOT NULL,
	"registered_on" date NOT NULL,
	CONSTRAINT "taxpayer_nik_unique" UNIQUE("nik")
);
--> statement-breakpoint
CREATE TABLE "tax"."vehicle_tax" (
	"plate_number" varchar(11) PRIMARY KEY NOT NULL,
	"amount" integer NOT NULL,
	"due_on" date NOT NULL,
	"status" "tax"."bill_status" NOT NULL
);
--> statement-breakpoint
CREATE INDEX "property_tax_bill_owner_nik_idx" ON "tax"."property_tax_bill" USING btree ("owner_nik");