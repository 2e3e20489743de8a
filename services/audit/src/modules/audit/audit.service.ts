import type { AuditRecordInput, Database, Logger } from '@simpul/service-kit';
import type { AuditRecordRow, AuditSchema } from '../../db/schema';
import type { AnchorLog, ChainHead } from './audit-anchors';
import { chainedContent, chainHash, GENESIS_HASH, verifyLog, type LogVerification } from './audit-chain';
import {
  chainRecordsInOrder,
  findChains,
  findHead,
  findRecordsOfCitizen,
  insertRecords,
  lockAnyChain,
  type AccessLogQuery,
  type NewAuditRecordRow,
} from './audit.repository';

export interface AppendResult {
  /** The chain the records went to. */
  chain: number;
  /** First and last sequence given to the batch in that chain. */
  first: number;
  last: number;
  /** The chain's head after the batch. */
  hash: string;
}

/** How appends are spread and grouped (AUDIT_CHAINS, AUDIT_APPEND_CONCURRENCY, AUDIT_WRITER_ID). */
export interface AppendSettings {
  /** Independent hash chains the log is partitioned into; appends to different chains never wait on each other. */
  chains: number;
  /** Group transactions one writer keeps in flight at once, each on its own chain (1 on PGlite: one connection). */
  concurrency: number;
  /** The chain this writer tries first (its in-flight transactions take the following ones). */
  firstChain: number;
}

export const DEFAULT_APPEND_SETTINGS: AppendSettings = { chains: 16, concurrency: 4, firstChain: 0 };

/** Records one group transaction takes at most; the rest waits for the next. */
const MAX_GROUP_RECORDS = 5000;

/** One service's records, as a subgraph or the gateway sends them. */
export interface ServiceRecords {
  service: string;
  records: readonly AuditRecordInput[];
}

interface PendingAppend {
  batches: readonly ServiceRecords[];
  size: number;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * The audit log: appends to the hash chains, checkpoints their heads, verifies them, reads them per citizen.
 *
 * Group commit: every append that arrives while this writer's transactions are busy joins the next
 * one, so under load one transaction, one lock and one checkpoint carry many requests' records. Each
 * transaction takes a chain of its own (lockAnyChain), so writers on many connections and replicas
 * append side by side; each chain stays gapless and linked.
 */
export class AuditLog {
  private readonly queue: PendingAppend[] = [];
  /** Which of the `concurrency` transaction slots are free; a slot's index picks its preferred chain. */
  private readonly freeSlots: number[];

  constructor(
    private readonly db: Database<AuditSchema>,
    private readonly chainKey: string,
    readonly anchors: AnchorLog,
    private readonly logger: Logger,
    private readonly settings: AppendSettings = DEFAULT_APPEND_SETTINGS,
  ) {
    this.freeSlots = Array.from({ length: Math.max(1, settings.concurrency) }, (_, slot) => slot).reverse();
  }

  /**
   * Appends the records (in one chain, consecutively), then checkpoints the chain's new head.
   * Resolves only after both: a caller that hears back may release the data the records describe.
   */
  append(service: string, records: readonly AuditRecordInput[]): Promise<AppendResult> {
    return this.appendMany([{ service, records }]);
  }

  /** Several services' records (the gateway's one append for a request), consecutively in one chain. */
  appendMany(batches: readonly ServiceRecords[]): Promise<AppendResult> {
    const size = batches.reduce((sum, batch) => sum + batch.records.length, 0);
    if (size === 0) return Promise.reject(new Error('append needs at least one record'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ batches, size, resolve, reject });
      this.startGroups();
    });
  }

  private startGroups(): void {
    while (this.queue.length > 0 && this.freeSlots.length > 0) {
      const slot = this.freeSlots.pop()!;
      const group = this.takeGroup();
      void this.commitGroup(group, (this.settings.firstChain + slot) % this.settings.chains).finally(() => {
        this.freeSlots.push(slot);
        this.startGroups();
      });
    }
  }

  private takeGroup(): PendingAppend[] {
    const group: PendingAppend[] = [this.queue.shift()!];
    let size = group[0]!.size;
    while (this.queue.length > 0 && size + this.queue[0]!.size <= MAX_GROUP_RECORDS) {
      const next = this.queue.shift()!;
      size += next.size;
      group.push(next);
    }
    return group;
  }

  private async commitGroup(group: PendingAppend[], preferredChain: number): Promise<void> {
    try {
      const { chain, head, results } = await this.db.transaction(async (tx) => {
        const chain = await lockAnyChain(tx, this.settings.chains, preferredChain);
        const stored = await findHead(tx, chain);
        let sequence = stored?.sequence ?? 0;
        let prevHash = stored?.hash ?? GENESIS_HASH;
        const recordedAt = new Date();
        const rows: NewAuditRecordRow[] = [];
        const results = group.map(({ batches }): AppendResult => {
          const first = sequence + 1;
          for (const { service, record } of batches.flatMap(({ service, records }) => records.map((record) => ({ service, record })))) {
            sequence += 1;
            const chained = chainedContent(chain, {
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
            });
            const hash = chainHash(this.chainKey, prevHash, chained);
            rows.push({ ...chained, chain, recordedAt, occurredAt: new Date(chained.occurredAt), actorType: record.actorType, kind: record.kind, prevHash, hash });
            prevHash = hash;
          }
          return { chain, first, last: sequence, hash: prevHash };
        });
        await insertRecords(tx, rows);
        return { chain, head: { sequence, hash: prevHash } satisfies ChainHead, results };
      });
      await this.anchors.checkpoint(chain, head);
      this.logger.debug({ chain, appends: group.length, last: head.sequence }, 'audit records appended');
      group.forEach((append, index) => append.resolve(results[index]!));
    } catch (error) {
      for (const append of group) append.reject(error);
    }
  }

  /** Checks every chain's records, hashes and links from the first, and each chain's head against its newest checkpoint. */
  async verify(): Promise<LogVerification> {
    // Checkpoints first: each names a committed record, which the walk below is then sure to see.
    const checkpoints = await this.anchors.read();
    return verifyLog(this.chainKey, await findChains(this.db), (chain) => chainRecordsInOrder(this.db, chain), checkpoints);
  }

  recordsOfCitizen(query: AccessLogQuery): Promise<AuditRecordRow[]> {
    return findRecordsOfCitizen(this.db, query);
  }
}
