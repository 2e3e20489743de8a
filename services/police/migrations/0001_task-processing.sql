CREATE SEQUENCE "police"."stnk_validation_serial" INCREMENT BY 1 MINVALUE 1 MAXVALUE 99999999 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "police"."inbox" (
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
CREATE TABLE "police"."outbox" (
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
CREATE TABLE "police"."stnk_validation" (
	"number" varchar(18) PRIMARY KEY NOT NULL,
	"plate_number" varchar(11) NOT NULL,
	"applicant_nik" varchar(16) NOT NULL,
	"validated_on" date NOT NULL,
	"valid_until" date NOT NULL,
	"task_id" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "police"."vehicle" ADD COLUMN "registered_address" text;--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "police"."outbox" USING btree ("id") WHERE "police"."outbox"."published_at" is null;--> statement-breakpoint
CREATE INDEX "stnk_validation_plate_number_valid_until_idx" ON "police"."stnk_validation" USING btree ("plate_number","valid_until");