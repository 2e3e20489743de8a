import type { AuditRecordInput, Database, Logger } from '@simpul/service-kit';
import type { AuditRecordRow, AuditSchema } from '../../db/schema';
import type { AnchorLog } from './audit-anchors';
import { chainHash, GENESIS_HASH, verifyChain, type ChainedRecord, type ChainVerification } from './audit-chain';
import { allRecordsInOrder, findHead, findRecordsOfCitizen, insertRecords, lockChain, type AccessLogQuery } from './audit.repository';

export interface AppendResult {
  /** First and last sequence given to the batch. */
  first: number;
  last: number;
  /** The chain's head after the batch. */
  hash: string;
}

/** The audit log: appends to the hash chain, checkpoints its head, verifies it, reads it per citizen. */
export class AuditLog {
  constructor(
    private readonly db: Database<AuditSchema>,
    private readonly chainKey: string,
    readonly anchors: AnchorLog,
    private readonly logger: Logger,
  ) {}

  /**
   * Appends the records as one transaction under the chain lock (gapless sequence, each hash over
   * the one before), then checkpoints the new head. Resolves only after both: a caller that hears
   * back may release the data the records describe.
   */
  async append(service: string, records: readonly AuditRecordInput[]): Promise<AppendResult> {
    if (records.length === 0) throw new Error('append needs at least one record');
    const result = await this.db.transaction(async (tx) => {
      await lockChain(tx);
      const head = await findHead(tx);
      let sequence = head?.sequence ?? 0;
      let prevHash = head?.hash ?? GENESIS_HASH;
      const first = sequence + 1;
      const recordedAt = new Date();
      const rows: AuditRecordRow[] = records.map((record) => {
        sequence += 1;
        const chained: ChainedRecord = {
          sequence,
          recordedAt: recordedAt.toISOString(),
          // Millisecond precision, as the column keeps it, so the stored value hashes the same.
          occurredAt: new Date(record.occurredAt).toISOString(),
          service,
          actor: record.actor,
          actorType: record.actorType,
          client: record.client,
          roles: [...record.roles],
          purpose: record.purpose,
          nikHash: record.nikHash,
          fields: [...record.fields],
          kind: record.kind,
          correlationId: record.correlationId,
        };
        const hash = chainHash(this.chainKey, prevHash, chained);
        const row: AuditRecordRow = {
          ...chained,
          recordedAt,
          occurredAt: new Date(chained.occurredAt),
          actorType: record.actorType,
          kind: record.kind,
          prevHash,
          hash,
        };
        prevHash = hash;
        return row;
      });
      await insertRecords(tx, rows);
      return { first, last: sequence, hash: prevHash };
    });
    await this.anchors.append({ sequence: result.last, hash: result.hash });
    this.logger.debug({ service, first: result.first, last: result.last }, 'audit records appended');
    return result;
  }

  /** Checks every record's hash and link from the first, and the head against the newest checkpoint. */
  async verify(): Promise<ChainVerification> {
    // Checkpoints first: each names a committed record, which the walk below is then sure to see.
    const checkpoints = await this.anchors.read();
    return verifyChain(this.chainKey, allRecordsInOrder(this.db), checkpoints);
  }

  recordsOfCitizen(query: AccessLogQuery): Promise<AuditRecordRow[]> {
    return findRecordsOfCitizen(this.db, query);
  }
}
