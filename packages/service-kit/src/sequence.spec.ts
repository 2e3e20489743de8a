import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { pgSchema } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/pglite';
import { nextSequenceValue } from './sequence';

const receiptSerial = pgSchema('seq_demo').sequence('receipt_serial', { startWith: 1, minValue: 1 });

describe('nextSequenceValue', () => {
  it('draws the next value of the schema-qualified sequence, which a rolled-back transaction does not give back', async () => {
    const client = new PGlite();
    const db = drizzle(client);
    try {
      await db.execute(sql`create schema seq_demo`);
      await db.execute(sql`create sequence seq_demo.receipt_serial start with 1 minvalue 1`);
      expect(await nextSequenceValue(db, receiptSerial)).toBe(1);
      await expect(
        db.transaction(async (tx) => {
          expect(await nextSequenceValue(tx, receiptSerial)).toBe(2);
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      expect(await nextSequenceValue(db, receiptSerial)).toBe(3);
    } finally {
      await client.close();
    }
  });
});
