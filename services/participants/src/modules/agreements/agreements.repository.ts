import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { accessGrantTable, agreementTable, participantTable, type AccessGrantRow, type AgreementRow, type ParticipantRow } from '../../db/schema';
import type { ParticipantsDb, ParticipantsTx } from '../participants/participants.repository';

export type AgreementStatus = AgreementRow['status'];
export type GrantStatus = AccessGrantRow['status'];

/** A grant in force, with its agreement's number (what the caller's audit and errors name). */
export interface EffectiveGrant {
  grant: AccessGrantRow;
  agreement: AgreementRow;
}

export class AgreementsRepository {
  constructor(private readonly db: ParticipantsDb) {}

  transaction<T>(work: (tx: ParticipantsTx) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  async insertAgreement(tx: ParticipantsTx, row: typeof agreementTable.$inferInsert): Promise<AgreementRow> {
    const [inserted] = await tx.insert(agreementTable).values(row).returning();
    return inserted!;
  }

  async agreement(id: string, tx: ParticipantsTx = this.db, lock = false): Promise<AgreementRow | undefined> {
    const query = tx.select().from(agreementTable).where(eq(agreementTable.id, id));
    const [row] = lock ? await query.for('update') : await query;
    return row;
  }

  async agreementsOf(participantCode: string): Promise<AgreementRow[]> {
    return this.db.select().from(agreementTable).where(eq(agreementTable.participantCode, participantCode)).orderBy(asc(agreementTable.createdAt));
  }

  async setAgreementStatus(tx: ParticipantsTx, id: string, status: AgreementStatus): Promise<AgreementRow> {
    const [row] = await tx.update(agreementTable).set({ status }).where(eq(agreementTable.id, id)).returning();
    return row!;
  }

  async insertGrant(tx: ParticipantsTx, row: typeof accessGrantTable.$inferInsert): Promise<AccessGrantRow> {
    const [inserted] = await tx.insert(accessGrantTable).values(row).returning();
    return inserted!;
  }

  async grant(id: string, tx: ParticipantsTx = this.db, lock = false): Promise<AccessGrantRow | undefined> {
    const query = tx.select().from(accessGrantTable).where(eq(accessGrantTable.id, id));
    const [row] = lock ? await query.for('update') : await query;
    return row;
  }

  async grantsOf(agreementId: string): Promise<AccessGrantRow[]> {
    return this.db.select().from(accessGrantTable).where(eq(accessGrantTable.agreementId, agreementId)).orderBy(asc(accessGrantTable.createdAt));
  }

  async updateGrant(tx: ParticipantsTx, id: string, change: Partial<typeof accessGrantTable.$inferInsert>): Promise<AccessGrantRow> {
    const [row] = await tx.update(accessGrantTable).set(change).where(eq(accessGrantTable.id, id)).returning();
    return row!;
  }

  async participantByClient(clientId: string): Promise<ParticipantRow | undefined> {
    const [row] = await this.db.select().from(participantTable).where(eq(participantTable.clientId, clientId));
    return row;
  }

  /** The approved grants of a participant on `owner`'s items whose agreement is ACTIVE on `day` (YYYY-MM-DD). */
  async effectiveGrants(participantCode: string, owner: string, day: string): Promise<EffectiveGrant[]> {
    const rows = await this.db
      .select({ grant: accessGrantTable, agreement: agreementTable })
      .from(accessGrantTable)
      .innerJoin(agreementTable, eq(accessGrantTable.agreementId, agreementTable.id))
      .where(
        and(
          eq(agreementTable.participantCode, participantCode),
          eq(agreementTable.ownerAgency, owner),
          eq(agreementTable.status, 'ACTIVE'),
          lte(agreementTable.validFrom, day),
          gte(agreementTable.validUntil, day),
          eq(accessGrantTable.status, 'APPROVED'),
        ),
      )
      .orderBy(asc(accessGrantTable.createdAt));
    return rows;
  }
}
