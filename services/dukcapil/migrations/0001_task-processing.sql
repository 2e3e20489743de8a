CREATE TABLE "dukcapil"."birth_certificate" (
	"number" text PRIMARY KEY NOT NULL,
	"child_name" text NOT NULL,
	"child_sex" "dukcapil"."sex" NOT NULL,
	"child_birth_date" date NOT NULL,
	"birth_place" text NOT NULL,
	"mother_nik" varchar(16) NOT NULL,
	"father_nik" varchar(16),
	"family_card_number" varchar(16) NOT NULL,
	"issued_on" date NOT NULL,
	"child_nik" varchar(16),
	CONSTRAINT "birth_certificate_child_nik_unique" UNIQUE("child_nik")
);
--> statement-breakpoint
CREATE TABLE "dukcapil"."child_id_card" (
	"nik" varchar(16) PRIMARY KEY NOT NULL,
	"issued_on" date NOT NULL,
	"valid_until" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dukcapil"."inbox" (
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
CREATE TABLE "dukcapil"."moving_certificate" (
	"number" text PRIMARY KEY NOT NULL,
	"nik" varchar(16) NOT NULL,
	"from_family_card_number" varchar(16) NOT NULL,
	"to_family_card_number" varchar(16) NOT NULL,
	"new_address" text NOT NULL,
	"moving_date" date NOT NULL,
	"issued_on" date NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dukcapil"."outbox" (
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
CREATE TABLE "dukcapil"."serial_counter" (
	"kind" text NOT NULL,
	"scope" text NOT NULL,
	"last_serial" integer NOT NULL,
	CONSTRAINT "serial_counter_kind_scope_pk" PRIMARY KEY("kind","scope")
);
--> statement-breakpoint
CREATE TABLE "dukcapil"."task_approval" (
	"task_id" uuid PRIMARY KEY NOT NULL,
	"application_id" uuid NOT NULL,
	"task_kind" text NOT NULL,
	"documents" jsonb NOT NULL,
	"note" text,
	"approved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dukcapil"."citizen" ADD COLUMN "died_on" date;--> statement-breakpoint
ALTER TABLE "dukcapil"."birth_certificate" ADD CONSTRAINT "birth_certificate_mother_nik_citizen_nik_fk" FOREIGN KEY ("mother_nik") REFERENCES "dukcapil"."citizen"("nik") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dukcapil"."birth_certificate" ADD CONSTRAINT "birth_certificate_father_nik_citizen_nik_fk" FOREIGN KEY ("father_nik") REFERENCES "dukcapil"."citizen"("nik") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dukcapil"."birth_certificate" ADD CONSTRAINT "birth_certificate_family_card_number_family_card_number_fk" FOREIGN KEY ("family_card_number") REFERENCES "dukcapil"."family_card"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dukcapil"."birth_certificate" ADD CONSTRAINT "birth_certificate_child_nik_citizen_nik_fk" FOREIGN KEY ("child_nik") REFERENCES "dukcapil"."citizen"("nik") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dukcapil"."child_id_card" ADD CONSTRAINT "child_id_card_nik_citizen_nik_fk" FOREIGN KEY ("nik") REFERENCES "dukcapil"."citizen"("nik") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dukcapil"."moving_certificate" ADD CONSTRAINT "moving_certificate_nik_citizen_nik_fk" FOREIGN KEY ("nik") REFERENCES "dukcapil"."citizen"("nik") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dukcapil"."moving_certificate" ADD CONSTRAINT "moving_certificate_from_family_card_number_family_card_number_fk" FOREIGN KEY ("from_family_card_number") REFERENCES "dukcapil"."family_card"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dukcapil"."moving_certificate" ADD CONSTRAINT "moving_certificate_to_family_card_number_family_card_number_fk" FOREIGN KEY ("to_family_card_number") REFERENCES "dukcapil"."family_card"("number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "birth_certificate_mother_nik_idx" ON "dukcapil"."birth_certificate" USING btree ("mother_nik");--> statement-breakpoint
CREATE INDEX "birth_certificate_family_card_number_idx" ON "dukcapil"."birth_certificate" USING btree ("family_card_number");--> statement-breakpoint
CREATE INDEX "moving_certificate_nik_idx" ON "dukcapil"."moving_certificate" USING btree ("nik");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "dukcapil"."outbox" USING btree ("id") WHERE "dukcapil"."outbox"."published_at" is null;