import { auditNikHash, type AuditAccessKind, type AuditActorType, type AuditRecordInput } from './audit-record';
import type { AuditRecorder, PersonalDataAccess, PersonalDataChange } from './audit-recorder';

/** Who made the request, as the gateway's signed context says (or anonymous without one). */
export interface AuditActor {
  actor: string;
  actorType: AuditActorType;
  client: string;
  roles: readonly string[];
  purpose: string | null;
}

/**
 * One request's accesses, folded into one record per citizen and kind: a list of 50 citizens is
 * 50 records, a citizen's 12 fields read twice over is one record naming the 12 fields.
 */
export class CollectingAuditRecorder implements AuditRecorder {
  private readonly accesses = new Map<string, { nik: string; kind: AuditAccessKind; fields: Set<string> }>();
  /** `nik \0 Type.field` of the changes already appended by recordChanges. */
  private readonly committedChanges = new Set<string>();

  /**
   * @param appendChanges appends CHANGE records at once (a request's recorder, see auditPlugin).
   * Without it, recordChanges only collects them: the owner of the recorder appends everything it
   * holds before its transaction commits (the task worker of @simpul/events).
   */
  constructor(private readonly appendChanges?: (changes: readonly PersonalDataChange[]) => Promise<void>) {}

  async recordChanges(changes: readonly PersonalDataChange[]): Promise<void> {
    if (changes.length === 0) return;
    if (!this.appendChanges) {
      for (const change of changes) this.access({ ...change, kind: 'CHANGE' });
      return;
    }
    await this.appendChanges(changes);
    for (const change of changes) this.committedChanges.add(`${change.nik}\u0000${change.typeName}.${change.fieldName}`);
  }

  access(entry: PersonalDataAccess): void {
    if (entry.kind === 'CHANGE' && this.committedChanges.has(`${entry.nik}\u0000${entry.typeName}.${entry.fieldName}`)) return;
    const key = `${entry.kind}\u0000${entry.nik}`;
    let access = this.accesses.get(key);
    if (!access) {
      access = { nik: entry.nik, kind: entry.kind, fields: new Set() };
      this.accesses.set(key, access);
    }
    access.fields.add(`${entry.typeName}.${entry.fieldName}`);
  }

  get isEmpty(): boolean {
    return this.accesses.size === 0;
  }

  /** The records to append, NIKs hashed; fields and roles sorted so equal requests give equal records. */
  records(options: { actor: AuditActor; correlationId: string; occurredAt: Date; nikHashPepper: string }): AuditRecordInput[] {
    const { actor } = options;
    return [...this.accesses.values()].map((access) => ({
      actor: actor.actor,
      actorType: actor.actorType,
      client: actor.client,
      roles: [...actor.roles].sort(),
      purpose: actor.purpose,
      nikHash: auditNikHash(access.nik, options.nikHashPepper),
      fields: [...access.fields].sort(),
      kind: access.kind,
      correlationId: options.correlationId,
      occurredAt: options.occurredAt.toISOString(),
    }));
  }
}

/** Where accesses go when nothing records them (a subgraph without AUDIT_URL outside production). */
export const DISCARDING_AUDIT_RECORDER: AuditRecorder = { access: () => undefined, recordChanges: async () => undefined };
