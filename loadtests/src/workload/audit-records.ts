import { auditNikHash, type AuditBatch, type ServiceActor } from '@simpul/service-kit';

/** The subgraph the appended records say they come from, and whose service account appends them. */
export const AUDIT_BENCH_SERVICE = 'dukcapil';

/** What the records declare: the counter's legal basis. */
export const AUDIT_BENCH_PURPOSE = 'legal-basis:PUBLIC_SERVICE_DELIVERY';

/**
 * `count` request bodies for `POST /records`, one READ record each (a subgraph answering one
 * citizen's fields), as `actor`: distinct correlation ids and citizens (their NIK hashes) in turn.
 */
export function auditAppendBodies(options: {
  count: number;
  actor: ServiceActor;
  niks: readonly string[];
  nikHashPepper: string;
  occurredAt: Date;
  /** Correlation ids are `<prefix>-<n>`: a run's records can be told apart. */
  correlationPrefix: string;
}): string[] {
  if (options.niks.length === 0) throw new Error('audit records need at least one NIK');
  const hashes = options.niks.map((nik) => auditNikHash(nik, options.nikHashPepper));
  return Array.from({ length: options.count }, (_, n) => {
    const batch: AuditBatch = {
      service: AUDIT_BENCH_SERVICE,
      records: [
        {
          ...options.actor,
          roles: [...options.actor.roles],
          purpose: AUDIT_BENCH_PURPOSE,
          nikHash: hashes[n % hashes.length]!,
          fields: ['Citizen.fullName', 'Citizen.birthDate'],
          kind: 'READ',
          correlationId: `${options.correlationPrefix}-${n}`,
          occurredAt: options.occurredAt.toISOString(),
        },
      ],
    };
    return JSON.stringify(batch);
  });
}
