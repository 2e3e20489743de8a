CREATE TABLE "dukcapil"."verification_failure" (
	"client_id" text NOT NULL,
	"nik" varchar(16) NOT NULL,
	"day" date NOT NULL,
	"failures" integer NOT NULL,
	CONSTRAINT "verification_failure_client_id_nik_day_pk" PRIMARY KEY("client_id","nik","day")
);
--> statement-breakpoint
CREATE INDEX "verification_failure_client_day_idx" ON "dukcapil"."verification_failure" USING btree ("client_id","day");