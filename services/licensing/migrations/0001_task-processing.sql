CREATE TYPE "licensing"."business_scale" AS ENUM('MICRO', 'SMALL', 'MEDIUM', 'LARGE');--> statement-breakpoint
CREATE TABLE "licensing"."inbox" (
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
CREATE TABLE "licensing"."outbox" (
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
ALTER TABLE "licensing"."business" ADD COLUMN "address" text;--> statement-breakpoint
ALTER TABLE "licensing"."business" ADD COLUMN "scale" "licensing"."business_scale";--> statement-breakpoint
ALTER TABLE "licensing"."business" ADD COLUMN "task_id" uuid;--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "licensing"."outbox" USING btree ("id") WHERE "licensing"."outbox"."published_at" is null;--> statement-breakpoint
ALTER TABLE "licensing"."business" ADD CONSTRAINT "business_task_id_unique" UNIQUE("task_id");