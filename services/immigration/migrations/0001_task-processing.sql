CREATE TYPE "immigration"."passport_kind" AS ENUM('REGULAR', 'ELECTRONIC');--> statement-breakpoint
ALTER TYPE "immigration"."passport_status" ADD VALUE 'REPLACED';--> statement-breakpoint
CREATE TABLE "immigration"."inbox" (
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
CREATE TABLE "immigration"."outbox" (
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
ALTER TABLE "immigration"."passport" ADD COLUMN "kind" "immigration"."passport_kind";--> statement-breakpoint
ALTER TABLE "immigration"."passport" ADD COLUMN "replaced_by" varchar(8);--> statement-breakpoint
ALTER TABLE "immigration"."passport" ADD COLUMN "task_id" uuid;--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "immigration"."outbox" USING btree ("id") WHERE "immigration"."outbox"."published_at" is null;--> statement-breakpoint
ALTER TABLE "immigration"."passport" ADD CONSTRAINT "passport_replaced_by_passport_number_fk" FOREIGN KEY ("replaced_by") REFERENCES "immigration"."passport"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "immigration"."passport" ADD CONSTRAINT "passport_task_id_unique" UNIQUE("task_id");