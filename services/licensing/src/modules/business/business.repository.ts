import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Database } from '@simpul/service-kit';
import { businesses, type BusinessRow, type LicensingSchema, type NewBusinessRow } from '../../db/schema';

export async function findBusinessesByNib(db: Database<LicensingSchema>, nibs: readonly string[]): Promise<BusinessRow[]> {
  if (nibs.length === 0) return [];
  return db.select().from(businesses).where(inArray(businesses.nib, [...nibs]));
}

/** Every business owned by any of the NIKs, oldest registration first, in one query. */
export async function findBusinessesByOwnerNik(db: Database<LicensingSchema>, niks: readonly string[]): Promise<BusinessRow[]> {
  if (niks.length === 0) return [];
  return db
    .select()
    .from(businesses)
    .where(inArray(businesses.ownerNik, [...niks]))
    .orderBy(asc(businesses.ownerNik), asc(businesses.issuedOn), asc(businesses.nib));
}

/**
 * Serialises registrations for one owner until the transaction ends, so two tasks for the same
 * citizen cannot both pass the duplicate-name check.
 */
export async function lockOwner(tx: Database<LicensingSchema>, ownerNik: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`licensing.business-owner:${ownerNik}`}))`);
}

/** The name as OSS compares it: case and runs of spaces do not make a different business. */
export function comparableBusinessName(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

export async function findActiveBusinessNamed(tx: Database<LicensingSchema>, ownerNik: string, name: string): Promise<BusinessRow | undefined> {
  const [row] = await tx
    .select()
    .from(businesses)
    .where(
      and(
        eq(businesses.ownerNik, ownerNik),
        eq(businesses.status, 'ACTIVE'),
        sql`lower(regexp_replace(btrim(${businesses.name}), '\\s+', ' ', 'g')) = ${comparableBusinessName(name)}`,
      ),
    )
    .limit(1);
  return row;
}

/** Inserts the business unless its NIB is taken; undefined then (draw another). */
export async function insertBusinessIfNibFree(tx: Database<LicensingSchema>, business: NewBusinessRow): Promise<BusinessRow | undefined> {
  const [row] = await tx.insert(businesses).values(business).onConflictDoNothing({ target: businesses.nib }).returning();
  return row;
}
