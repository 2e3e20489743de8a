CREATE SEQUENCE "tax"."business_npwp_serial" INCREMENT BY 1 MINVALUE 1 MAXVALUE 999999 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE SEQUENCE "tax"."vehicle_tax_receipt_serial" INCREMENT BY 1 MINVALUE 1 MAXVALUE 99999999 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "tax"."business_taxpayer" (
	"npwp" varchar(15) PRIMARY KEY NOT NULL,
	"nib" varchar(13) NOT NULL,
	"name" text NOT NULL,
	"address" text NOT NULL,
	"responsible_nik" varchar(16) NOT NULL,
	"registered_on" date NOT NULL,
	"task_id" uuid NOT NULL,
	CONSTRAINT "business_taxpayer_nib_unique" UNIQUE("nib")
);
--> statement-breakpoint
CREATE TABLE "tax"."inbox" (
	"consumer_group" text NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"topic" text NOT NULL,
	"partition" integer NOT NULL,
	"offset" bigint NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_group_event_id_pk" PRIMARY KEY("consumer_group","event_id")
);
--> statement-breakpoint
CREATE TABLE "tax"."outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"event_type" text NOT NULL,
	"topic" text NOT NULL,
	"partition_key" text NOT NULL,
	"payload" text NOT NULL,
	"headers" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	"claimed_by" text,
	"claimed_until" timestamp with time zone,
	"publish_attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	CONSTRAINT "outbox_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "tax"."vehicle_tax_payment" (
	"receipt_number" varchar(20) PRIMARY KEY NOT NULL,
	"plate_number" varchar(11) NOT NULL,
	"tax_year" integer NOT NULL,
	"amount" integer NOT NULL,
	"payer_nik" varchar(16) NOT NULL,
	"bank_reference" text NOT NULL,
	"paid_on" date NOT NULL,
	"task_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vehicle_tax_payment_plate_year_unique" UNIQUE("plate_number","tax_year")
);
--> statement-breakpoint
ALTER TABLE "tax"."taxpayer" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "tax"."vehicle_tax" ADD COLUMN "owner_nik" varchar(16);--> statement-breakpoint
CREATE INDEX "business_taxpayer_responsible_nik_idx" ON "tax"."business_taxpayer" USING btree ("responsible_nik");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "tax"."outbox" USING btree ("id") WHERE "tax"."outbox"."published_at" is null;