import { ANONYMOUS_ACTOR, auditNikHash, BadUserInputError, DomainError, type AuditRecordInput } from '@simpul/service-kit';
import type { AuditContext } from '../../context';
import type { AuditRecordRow } from '../../db/schema';
import type { ChainVerification, LogVerification } from './audit-chain';

const NIK = /^\d{16}$/;
const NIK_HASH = /^[0-9a-f]{64}$/;

function pageSize(first: number | null | undefined, max: number, fallback: number): number {
  const value = first ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new BadUserInputError(`first must be between 1 and ${max}`, { argument: 'first', rule: 'PAGE_SIZE' });
  }
  return value;
}

function cursor(after: string | null | undefined): number | undefined {
  if (after === null || after === undefined) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(after)) throw new BadUserInputError('after must be the nextCursor of a page', { argument: 'after', rule: 'CURSOR' });
  return Number(after);
}

function instant(value: string | null | undefined, argument: string): Date | undefined {
  if (value === null || value === undefined) return undefined;
  const date = new Date(value);
  if (!/^\d{4}-\d\d-\d\d(T[\d:.]+(Z|[+-]\d\d:\d\d)?)?$/.test(value) || Number.isNaN(date.getTime())) {
    throw new BadUserInputError(`${argument} must be an ISO date or date-time`, { argument, rule: 'ISO_DATE_TIME' });
  }
  return date;
}

/** One more row than the page is read: if it comes, there is a next page. */
function paged<T>(rows: AuditRecordRow[], limit: number, map: (row: AuditRecordRow) => T) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(map), nextCursor: rows.length > limit && last ? String(last.position) : null };
}

const actorTypeOf = (row: AuditRecordRow) => row.actorType.toUpperCase();

function chainView(chain: ChainVerification) {
  return {
    chain: chain.chain,
    records: String(chain.records),
    head: chain.head && { sequence: String(chain.head.sequence), hash: chain.head.hash },
    checkpoint: chain.checkpoint && { ...chain.checkpoint, sequence: String(chain.checkpoint.sequence) },
  };
}

function verificationView(verification: LogVerification) {
  return {
    intact: verification.intact,
    records: String(verification.records),
    chains: verification.chains.map(chainView),
    problem: verification.problem && { ...verification.problem, sequence: String(verification.problem.sequence) },
    verifiedAt: new Date().toISOString(),
  };
}

export const auditResolvers = {
  Query: {
    async myDataAccessLog(_: unknown, args: { first?: number | null; after?: string | null }, context: AuditContext) {
      // Who may call it is the SDL's @access (citizen); which log is theirs is the NIK the gateway vouches for.
      if (!context.runtime.securityOn || !context.caller) {
        throw new DomainError('UNAUTHENTICATED', 'No signed-in citizen: this deployment has no identity configured (INTERNAL_CONTEXT_PUBLIC_KEY)');
      }
      const { nik, roles } = context.caller;
      if (!roles.includes('citizen') || !nik) {
        throw new DomainError('FORBIDDEN', 'Only a signed-in citizen has a data access log of their own', { rule: 'CITIZEN_REQUIRED' });
      }
      const limit = pageSize(args.first, 100, 20);
      const rows = await context.runtime.log.recordsOfCitizen({
        nikHash: auditNikHash(nik, context.runtime.nikHashPepper),
        before: cursor(args.after),
        limit: limit + 1,
      });
      const { items, nextCursor } = paged(rows, limit, (row) => ({
        at: row.occurredAt.toISOString(),
        service: row.service,
        actorType: actorTypeOf(row),
        client: row.client,
        purpose: row.purpose,
        fields: row.fields,
        kind: row.kind,
      }));
      return { entries: items, nextCursor };
    },

    async dataAccessLog(
      _: unknown,
      args: { nik?: string | null; nikHash?: string | null; from?: string | null; to?: string | null; first?: number | null; after?: string | null },
      context: AuditContext,
    ) {
      // Roles (auditor, admin) and the purpose are enforced by the SDL's @access and @personalData.
      const { caller } = context;
      if ((args.nik ? 1 : 0) + (args.nikHash ? 1 : 0) !== 1) {
        throw new BadUserInputError('Give exactly one of nik and nikHash', { argument: 'nik', rule: 'ONE_CITIZEN' });
      }
      if (args.nik && !NIK.test(args.nik)) throw new BadUserInputError('nik must be 16 digits', { argument: 'nik', rule: 'NIK_FORMAT' });
      if (args.nikHash && !NIK_HASH.test(args.nikHash)) {
        throw new BadUserInputError('nikHash must be 64 lowercase hex characters', { argument: 'nikHash', rule: 'NIK_HASH_FORMAT' });
      }
      const nikHash = args.nikHash ?? auditNikHash(args.nik!, context.runtime.nikHashPepper);
      const limit = pageSize(args.first, 500, 50);
      const rows = await context.runtime.log.recordsOfCitizen({
        nikHash,
        before: cursor(args.after),
        from: instant(args.from, 'from'),
        to: instant(args.to, 'to'),
        limit: limit + 1,
      });
      // Who looked into a citizen's log is itself in that log, before anything is returned.
      const record: AuditRecordInput = {
        actor: caller?.subject ?? ANONYMOUS_ACTOR.actor,
        actorType: caller?.actorType ?? ANONYMOUS_ACTOR.actorType,
        client: caller?.client ?? ANONYMOUS_ACTOR.client,
        roles: [...(caller?.roles ?? [])].sort(),
        purpose: caller?.purpose ?? null,
        nikHash,
        fields: ['Query.dataAccessLog'],
        kind: 'READ',
        correlationId: context.correlationId,
        occurredAt: new Date().toISOString(),
      };
      try {
        await context.runtime.log.append('audit', [record]);
      } catch (error) {
        context.logger.error({ err: error }, 'could not record an auditor\'s read: withholding it');
        throw new DomainError('AUDIT_UNAVAILABLE', 'The audit log could not record this read, so it is withheld. Try again later.');
      }
      const { items, nextCursor } = paged(rows, limit, (row) => ({
        ...row,
        sequence: String(row.sequence),
        position: String(row.position),
        recordedAt: row.recordedAt.toISOString(),
        occurredAt: row.occurredAt.toISOString(),
        actorType: actorTypeOf(row),
      }));
      return { records: items, nextCursor };
    },

    async auditLogVerification(_: unknown, __: unknown, context: AuditContext) {
      return verificationView(await context.runtime.log.verify());
    },
  },
};
