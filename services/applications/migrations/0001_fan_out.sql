CREATE TYPE "applications"."task_status" AS ENUM('PENDING', 'ASSIGNED', 'RECEIVED', 'IN_REVIEW', 'APPROVED', 'REJECTED', 'CANCELLED');--> statement-breakpoint
CREATE TYPE "applications"."application_timeline_kind" AS ENUM('SUBMITTED', 'TASK_ASSIGNED', 'TASK_STATUS', 'TASK_CANCELLED', 'STATUS_CHANGED', 'SLA_BREACHED');--> statement-breakpoint
CREATE TABLE "applications"."application_task" (
	"id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"step_id" text NOT NULL,
	"participant" text NOT NULL,
	"kind" text NOT NULL,
	"status" "applications"."task_status" DEFAULT 'PENDING' NOT NULL,
	"assigned_at" timestamp with time zone,
	"due_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"documents" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "application_task_application_step_key" UNIQUE("application_id","step_id")
);
--> statement-breakpoint
CREATE TABLE "applications"."application_timeline" (
	"sequence" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "applications"."application_timeline_sequence_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"application_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"kind" "applications"."application_timeline_kind" NOT NULL,
	"task_id" uuid,
	"step_id" text,
	"participant" text,
	"task_status" "applications"."task_status",
	"application_status" "applications"."application_status",
	"reason" text,
	"documents" jsonb
);
--> statement-breakpoint
CREATE TABLE "applications"."inbox" (
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
CREATE TABLE "applications"."outbox" (
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
ALTER TABLE "applications"."application" ALTER COLUMN "type" SET DATA TYPE text;--> statement-breakpoint
ALTER TABLE "applications"."application" ADD COLUMN "inputs" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "applications"."application" ADD COLUMN "correlation_id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "applications"."application" ADD COLUMN "sla_breached_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "applications"."application_task" ADD CONSTRAINT "application_task_application_id_application_id_fk" FOREIGN KEY ("application_id") REFERENCES "applications"."application"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications"."application_timeline" ADD CONSTRAINT "application_timeline_application_id_application_id_fk" FOREIGN KEY ("application_id") REFERENCES "applications"."application"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_task_open_due_at_idx" ON "applications"."application_task" USING btree ("due_at") WHERE "applications"."application_task"."status" in ('ASSIGNED', 'RECEIVED', 'IN_REVIEW');--> statement-breakpoint
CREATE INDEX "application_timeline_application_sequence_idx" ON "applications"."application_timeline" USING btree ("application_id","sequence");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "applications"."outbox" USING btree ("id") WHERE "applications"."outbox"."published_at" is null;--> statement-breakpoint
DROP TYPE "applications"."application_type";