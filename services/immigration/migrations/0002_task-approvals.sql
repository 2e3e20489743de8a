CREATE TABLE "immigration"."task_approval" (
	"task_id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"task_kind" text NOT NULL,
	"documents" jsonb NOT NULL,
	"note" text,
	"approved_at" timestamp with time zone DEFAULT now() NOT NULL
);
