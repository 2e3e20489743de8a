CREATE SCHEMA "dukcapil";
--> statement-breakpoint
CREATE TYPE "dukcapil"."family_relationship" AS ENUM('HEAD', 'SPOUSE', 'CHILD', 'PARENT', 'OTHER');--> statement-breakpoint
CREATE TYPE "dukcapil"."marital_status" AS ENUM('SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED');--> statement-breakpoint
CREATE TYPE "dukcapil"."religion" AS ENUM('ISLAM', 'PROTESTANT', 'CATHOLIC', 'HINDU', 'BUDDHIST', 'CONFUCIAN', 'OTHER');--> statement-breakpoint
CREATE TYPE "dukcapil"."sex" AS ENUM('MALE', 'FEMALE');--> statement-breakpoint
CREATE TABLE "dukcapil"."citizen" (
	"nik" varchar(16) PRIMARY KEY NOT NULL,
	"full_name" text NOT NULL,
	"birth_place" text NOT NULL,
	"birth_date" date NOT NULL,
	"sex" "dukcapil"."sex" NOT NULL,
	"religion" "dukcapil"."religion" NOT NULL,
	"marital_status" "dukcapil"."marital_status" NOT NULL,
	"occupation" text NOT NULL,
	"family_card_number" varchar(16) NOT NULL,
	"family_relationship" "dukcapil"."family_relationship" NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dukcapil"."family_card" (
	"number" varchar(16) PRIMARY KEY NOT NULL,
	"head_nik" varchar(16) NOT NULL,
	"issued_on" date NOT NULL,
	"street" text NOT NULL,
	"rt" varchar(3) NOT NULL,
	"rw" varchar(3) NOT NULL,
	"village" text NOT NULL,
	"district_code" varchar(6) NOT NULL,
	"district_name" text NOT NULL,
	"regency_code" varchar(4) NOT NULL,
	"regency_name" text NOT NULL,
	"province_code" varchar(2) NOT NULL,
	"province_name" text NOT NULL,
	"postal_code" varchar(5) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dukcapil"."citizen" ADD CONSTRAINT "citizen_family_card_number_family_card_number_fk" FOREIGN KEY ("family_card_number") REFERENCES "dukcapil"."family_card"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "citizen_family_card_number_idx" ON "dukcapil"."citizen" USING btree ("family_card_number");