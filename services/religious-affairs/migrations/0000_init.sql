CREATE SCHEMA "religious_affairs";
--> statement-breakpoint
CREATE TABLE "religious_affairs"."marriage" (
	"id" uuid PRIMARY KEY NOT NULL,
	"husband_nik" varchar(16) NOT NULL,
	"wife_nik" varchar(16) NOT NULL,
	"registered_at" date NOT NULL,
	"kua_office" text NOT NULL,
	"certificate_number" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "marriage_husband_nik_idx" ON "religious_affairs"."marriage" USING btree ("husband_nik");--> statement-breakpoint
CREATE INDEX "marriage_wife_nik_idx" ON "religious_affairs"."marriage" USING btree ("wife_nik");