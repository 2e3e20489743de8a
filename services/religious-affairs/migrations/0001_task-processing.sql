CREATE TABLE "religious_affairs"."inbox" (
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
CREATE TABLE "religious_affairs"."outbox" (
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
CREATE TABLE "religious_affairs"."serial_counter" (
	"kind" text NOT NULL,
	"scope" text NOT NULL,
	"last_serial" integer NOT NULL,
	CONSTRAINT "serial_counter_kind_scope_pk" PRIMARY KEY("kind","scope")
);
--> statement-breakpoint
CREATE TABLE "religious_affairs"."task_approval" (
	"task_id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"task_kind" text NOT NULL,
	"documents" jsonb NOT NULL,
	"note" text,
	"approved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "religious_affairs"."marriage" ADD COLUMN "ended_on" date;--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "religious_affairs"."outbox" USING btree ("id") WHERE "religious_affairs"."outbox"."published_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "marriage_certificate_number_key" ON "religious_affairs"."marriage" USING btree ("certificate_number");--> statement-breakpoint
CREATE UNIQUE INDEX "marriage_active_husband_key" ON "religious_affairs"."marriage" USING btree ("husband_nik") WHERE "religious_affairs"."marriage"."ended_on" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "marriage_active_wife_key" ON "religious_affairs"."marriage" USING btree ("wife_nik") WHERE "religious_affairs"."marriage"."ended_on" is null;