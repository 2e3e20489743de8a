import { bigint, check, date, index, jsonb, pgSchema, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

export const participants = pgSchema('participants');

export const participantKindEnum = participants.enum('participant_kind', ['AGENCY', 'BUMN', 'BANK', 'INTEGRATOR']);
export const participantStatusEnum = participants.enum('participant_status', ['REGISTERED', 'SANDBOX', 'ACTIVE', 'SUSPENDED', 'RETIRED']);
export const connectionKindEnum = participants.enum('connection_kind', ['EVENTS', 'WEBHOOK']);

/** A contact person of an institution, as its integrators gave it (no personal data of citizens). */
export interface ParticipantContact {
  name: string;
  email: string;
  phone?: string;
  /** What they answer for: `technical`, `legal`, `operations`… */
  role: string;
}

/**
 * An institution that takes part in Simpul: an agency, a BUMN, a bank or an integrator, known by
 * its code (`bank-riau-kepri`), which names its role (`participant:<code>`), its task topic and its
 * identity-provider client.
 */
export const participantTable = participants.table(
  'participant',
  {
    code: varchar('code', { length: 40 }).primaryKey(),
    name: text('name').notNull(),
    kind: participantKindEnum('kind').notNull(),
    /** Kemendagri regency codes (4 digits) it serves, e.g. 1405 (Siak). */
    regionsServed: text('regions_served').array().notNull(),
    contacts: jsonb('contacts').$type<ParticipantContact[]>().notNull(),
    status: participantStatusEnum('status').notNull(),
    connectionKind: connectionKindEnum('connection_kind').notNull(),
    /** Where Simpul posts its tasks, for a WEBHOOK connection; null for EVENTS. */
    webhookUrl: text('webhook_url'),
    /** Its confidential client at the identity provider (client credentials). */
    clientId: text('client_id').notNull().unique('participant_client_id_unique'),
    registeredAt: timestamp('registered_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    check('participant_webhook_url_matches_kind', sql`(${table.connectionKind} = 'WEBHOOK') = (${table.webhookUrl} IS NOT NULL)`),
  ],
);

/**
 * The secrets Simpul signs a webhook participant's tasks with (and checks its reports against). A
 * rotation adds one and gives the previous ones an end (`retiresAt`): during the overlap both are
 * valid, so the participant switches without a refused call.
 */
export const webhookSecretTable = participants.table(
  'webhook_secret',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    participantCode: varchar('participant_code', { length: 40 })
      .notNull()
      .references(() => participantTable.code),
    /** 64 hex characters. Simpul must sign with it, so it is kept, and never shown again after it was issued. */
    secret: varchar('secret', { length: 64 }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Null while it is the newest; set when a newer one replaces it. */
    retiresAt: timestamp('retires_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [index('webhook_secret_participant_idx').on(table.participantCode, table.createdAt)],
);

/**
 * Every change an administrator made to the registry, in order: who (subject, client, roles), what
 * (action and its details, never a secret), when, and the gateway request's correlation id.
 * Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE; migration 0001).
 */
export const participantChangeTable = participants.table(
  'participant_change',
  {
    position: bigint('position', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    participantCode: varchar('participant_code', { length: 40 }).notNull(),
    action: text('action').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull(),
    actor: text('actor').notNull(),
    client: text('client').notNull(),
    roles: text('roles').array().notNull(),
    correlationId: text('correlation_id').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('participant_change_code_idx').on(table.participantCode, table.position)],
);

export const agreementStatusEnum = participants.enum('agreement_status', ['DRAFT', 'ACTIVE', 'SUSPENDED', 'ENDED']);
export const grantStatusEnum = participants.enum('grant_status', ['PENDING', 'APPROVED', 'REVOKED']);

/**
 * A cooperation agreement (PKS/NDA) between a participant and the agency that owns the data it
 * wants: the frame its access grants live in. Grants take effect only while it is ACTIVE and today
 * is within its period.
 */
export const agreementTable = participants.table(
  'agreement',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The PKS/NDA number as signed, e.g. `470/1234/Dukcapil/2026`. */
    number: varchar('number', { length: 80 }).notNull().unique('agreement_number_unique'),
    participantCode: varchar('participant_code', { length: 40 })
      .notNull()
      .references(() => participantTable.code),
    /** The agency whose data the agreement opens (`dukcapil`). */
    ownerAgency: varchar('owner_agency', { length: 40 }).notNull(),
    signedOn: date('signed_on', { mode: 'string' }).notNull(),
    validFrom: date('valid_from', { mode: 'string' }).notNull(),
    validUntil: date('valid_until', { mode: 'string' }).notNull(),
    status: agreementStatusEnum('status').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [check('agreement_period', sql`${table.validFrom} <= ${table.validUntil}`)],
);

/**
 * What an agreement lets its participant's client do: one grantable item of the owner's subgraph
 * (`Query.verifyCitizen`), for some of its claims, under some purposes. Requested by an
 * administrator, approved (or revoked) by the owning agency only; the SDL's `@access` stays the
 * ceiling of what can ever be granted.
 */
export const accessGrantTable = participants.table(
  'access_grant',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => agreementTable.id),
    /** `Type.field` of the owner's subgraph. */
    item: text('item').notNull(),
    /** The verification claims it covers (verifyCitizen's `fullName`, `birthDate`…); empty for a plain field. */
    claims: text('claims').array().notNull(),
    /** The `legal-basis:<CODE>` purposes it may be used under. */
    purposes: text('purposes').array().notNull(),
    status: grantStatusEnum('status').notNull(),
    requestedBy: text('requested_by').notNull(),
    approvedBy: text('approved_by'),
    approvedAt: timestamp('approved_at', { withTimezone: true, mode: 'date' }),
    revokedBy: text('revoked_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('access_grant_agreement_idx').on(table.agreementId)],
);

export type ParticipantRow = typeof participantTable.$inferSelect;
export type AgreementRow = typeof agreementTable.$inferSelect;
export type AccessGrantRow = typeof accessGrantTable.$inferSelect;
export type WebhookSecretRow = typeof webhookSecretTable.$inferSelect;
export type ParticipantChangeRow = typeof participantChangeTable.$inferSelect;

export const schema = { participantTable, webhookSecretTable, participantChangeTable, agreementTable, accessGrantTable };
export type ParticipantsSchema = typeof schema;
