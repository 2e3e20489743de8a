import { eq, inArray } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { childIdCards, type ChildIdCardRow, type DukcapilSchema } from '../../db/schema';

/** The last KIA of each of `niks` that has one, in one query. */
export async function findChildIdCardsByNik(db: Database<DukcapilSchema>, niks: readonly string[]): Promise<ChildIdCardRow[]> {
  if (niks.length === 0) return [];
  return db.select().from(childIdCards).where(inArray(childIdCards.nik, [...niks]));
}

/** A child's last KIA, locked until the transaction ends (a new one is about to replace it). */
export async function findChildIdCardForUpdate(db: Database<DukcapilSchema>, nik: string): Promise<ChildIdCardRow | undefined> {
  const [card] = await db.select().from(childIdCards).where(eq(childIdCards.nik, nik)).for('update');
  return card;
}

/** Records a new KIA for the child, replacing the last one (only the current card is kept). */
export async function saveChildIdCard(db: Database<DukcapilSchema>, card: ChildIdCardRow): Promise<void> {
  await db
    .insert(childIdCards)
    .values(card)
    .onConflictDoUpdate({ target: childIdCards.nik, set: { issuedOn: card.issuedOn, validUntil: card.validUntil } });
}
