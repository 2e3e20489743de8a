import { and, asc, eq, gt, isNull, or, type SQL } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import {
  participantChangeTable,
  participantTable,
  webhookSecretTable,
  type ParticipantChangeRow,
  type ParticipantRow,
  type ParticipantsSchema,
  type WebhookSecretRow,
} from '../../db/schema';
import type { ParticipantKind, ParticipantStatus } from './participant-rules';

export type ParticipantsDb = Database<ParticipantsSchema>;
/** The database, or a transaction of it. */
export type ParticipantsTx = Parameters<Parameters<ParticipantsDb['transaction']>[0]>[0] | ParticipantsDb;

export type NewParticipantChange = Omit<ParticipantChangeRow, 'position' | 'at'>;

/** Postgres' unique_violation, as node-postgres and PGlite report it. */
export function isUniqueViolation(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return (error as { code?: string })?.code === '23505' || cause?.code === '23505';
}

export class ParticipantsRepository {
  constructor(private readonly db: ParticipantsDb) {}

  transaction<T>(work: (tx: ParticipantsTx) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async list(filter: { status?: ParticipantStatus; kind?: ParticipantKind }): Promise<ParticipantRow[]> {
    const conditions: SQL[] = [];
    if (filter.status) conditions.push(eq(participantTable.status, filter.status));
    if (filter.kind) conditions.push(eq(participantTable.kind, filter.kind));
    return this.db
      .select()
      .from(participantTable)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(asc(participantTable.code));
  }

  async find(code: string, tx: ParticipantsTx = this.db, lock = false): Promise<ParticipantRow | undefined> {
    const query = tx.select().from(participantTable).where(eq(participantTable.code, code));
    const [row] = lock ? await query.for('update') : await query;
    return row;
  }

  async insert(tx: ParticipantsTx, row: typeof participantTable.$inferInsert): Promise<ParticipantRow> {
    const [inserted] = await tx.insert(participantTable).values(row).returning();
    return inserted!;
  }

  async setStatus(tx: ParticipantsTx, code: string, status: ParticipantStatus, at: Date): Promise<ParticipantRow> {
    const [row] = await tx.update(participantTable).set({ status, statusChangedAt: at }).where(eq(participantTable.code, code)).returning();
    return row!;
  }

  async recordChange(tx: ParticipantsTx, change: NewParticipantChange): Promise<void> {
    await tx.insert(participantChangeTable).values(change);
  }

  async changes(code: string): Promise<ParticipantChangeRow[]> {
    return this.db.select().from(participantChangeTable).where(eq(participantChangeTable.participantCode, code)).orderBy(asc(participantChangeTable.position));
  }

  async addWebhookSecret(tx: ParticipantsTx, code: string, secret: string, at: Date): Promise<WebhookSecretRow> {
    const [row] = await tx.insert(webhookSecretTable).values({ participantCode: code, secret, createdAt: at }).returning();
    return row!;
  }

  /** Gives every secret still valid after `retiresAt` that end (the overlap of a rotation). */
  async retireWebhookSecrets(tx: ParticipantsTx, code: string, retiresAt: Date): Promise<number> {
    const retired = await tx
      .update(webhookSecretTable)
      .set({ retiresAt })
      .where(and(eq(webhookSecretTable.participantCode, code), or(isNull(webhookSecretTable.retiresAt), gt(webhookSecretTable.retiresAt, retiresAt))))
      .returning({ id: webhookSecretTable.id });
    return retired.length;
  }

  async webhookSecrets(code: string): Promise<WebhookSecretRow[]> {
    return this.db.select().from(webhookSecretTable).where(eq(webhookSecretTable.participantCode, code)).orderBy(asc(webhookSecretTable.createdAt));
  }
}
