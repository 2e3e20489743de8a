import { randomBytes } from 'node:crypto';
import { ANONYMOUS_ACTOR, DomainError, type InternalCaller } from '@simpul/service-kit';
import type { ParticipantRow } from '../../db/schema';
import type { IdentityAdmin } from '../credentials/keycloak-admin';
import { checkTransition, clientEnabledIn, parseParticipantCode, parseRegistration, type ParticipantKind, type ParticipantStatus, type RegistrationInput } from './participant-rules';
import { isUniqueViolation, type NewParticipantChange, type ParticipantsRepository, type ParticipantsTx } from './participants.repository';

/** Who made a change, for the registry's history: the caller the gateway vouched for. */
export interface ChangeAuthor {
  caller?: InternalCaller;
  correlationId: string;
}

/** How long a replaced webhook secret stays valid by default: a day to deploy the new one. */
export const DEFAULT_WEBHOOK_SECRET_OVERLAP_HOURS = 24;
const MAX_WEBHOOK_SECRET_OVERLAP_HOURS = 24 * 30;

/** Roles several participants hold (an integrator's): never created nor refused as someone else's. */
const SHARED_ROLES = ['integrator'];

function newWebhookSecret(): string {
  return randomBytes(32).toString('hex');
}

export interface RegisteredParticipant {
  participant: ParticipantRow;
  /** Shown once: the participant's client secret at the identity provider. */
  clientSecret: string;
  /** Shown once, for a webhook connection: the secret Simpul signs its tasks with. */
  webhookSecret: string | null;
}

/**
 * The participant registry: institutions, their connection and lifecycle, and their credentials
 * at the identity provider, changed together. Each change is one transaction that also appends its
 * history entry; the identity provider is called inside it, after every check, so a refusal there
 * rolls the registry back and a refusal here never reaches it.
 */
export class ParticipantsService {
  constructor(
    private readonly repository: ParticipantsRepository,
    /** Undefined when the service has no identity provider configured: nobody can be registered then. */
    private readonly identity: IdentityAdmin | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  list(filter: { status?: ParticipantStatus; kind?: ParticipantKind }) {
    return this.repository.list(filter);
  }

  async get(code: string): Promise<ParticipantRow | undefined> {
    return this.repository.find(parseParticipantCode(code));
  }

  changes(code: string) {
    return this.repository.changes(code);
  }

  webhookSecrets(code: string) {
    return this.repository.webhookSecrets(code);
  }

  async register(input: RegistrationInput, author: ChangeAuthor): Promise<RegisteredParticipant> {
    const registration = parseRegistration(input);
    const identity = this.requireIdentity();
    const at = this.now();
    try {
      return await this.repository.transaction(async (tx) => {
        const participant = await this.repository.insert(tx, {
          code: registration.code,
          name: registration.name,
          kind: registration.kind,
          regionsServed: registration.regionsServed,
          contacts: registration.contacts,
          status: 'REGISTERED',
          connectionKind: registration.connection.kind,
          webhookUrl: registration.webhookUrl,
          clientId: registration.clientId,
          registeredAt: at,
          statusChangedAt: at,
        });
        let webhookSecret: string | null = null;
        if (registration.connection.kind === 'WEBHOOK') {
          webhookSecret = newWebhookSecret();
          await this.repository.addWebhookSecret(tx, registration.code, webhookSecret, at);
        }
        await this.record(tx, registration.code, 'REGISTERED', author, {
          name: registration.name,
          kind: registration.kind,
          regionsServed: registration.regionsServed,
          connection: registration.connection.kind,
          webhookUrl: registration.webhookUrl,
          clientId: registration.clientId,
          roles: registration.roles,
        });
        // Last: everything above can still refuse; the identity provider's refusal rolls it back.
        const { clientSecret } = await identity.createParticipantClient({
          clientId: registration.clientId,
          name: registration.name,
          roles: registration.roles,
          sharedRoles: SHARED_ROLES,
        });
        return { participant, clientSecret, webhookSecret };
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError('CONFLICT', `A participant ${registration.code} is already registered (codes are never reused)`, { rule: 'PARTICIPANT_CODE_TAKEN', code: registration.code });
      }
      throw error;
    }
  }

  /**
   * Moves a participant along its lifecycle. Suspending or retiring disables its client at the
   * identity provider before the change commits (no token from the next request on); reinstating
   * enables it again.
   */
  async changeStatus(code: string, status: ParticipantStatus, reason: string | undefined, author: ChangeAuthor): Promise<ParticipantRow> {
    const participantCode = parseParticipantCode(code);
    return this.repository.transaction(async (tx) => {
      const current = await this.existing(tx, participantCode, true);
      checkTransition(participantCode, current.status, status);
      const updated = await this.repository.setStatus(tx, participantCode, status, this.now());
      await this.record(tx, participantCode, 'STATUS_CHANGED', author, { from: current.status, to: status, ...(reason ? { reason } : {}) });
      const enabled = clientEnabledIn(status);
      if (enabled !== clientEnabledIn(current.status)) await this.requireIdentity().setEnabled(current.clientId, enabled);
      return updated;
    });
  }

  /** A new client secret at the identity provider; the previous one stops working at once. */
  async rotateClientSecret(code: string, author: ChangeAuthor): Promise<{ participant: ParticipantRow; clientSecret: string }> {
    const participantCode = parseParticipantCode(code);
    return this.repository.transaction(async (tx) => {
      const participant = await this.existing(tx, participantCode, true);
      if (participant.status === 'RETIRED') {
        throw new DomainError('CONFLICT', `Participant ${participantCode} is retired: it gets no new credentials`, { rule: 'PARTICIPANT_RETIRED' });
      }
      await this.record(tx, participantCode, 'CLIENT_SECRET_ROTATED', author, { clientId: participant.clientId });
      const clientSecret = await this.requireIdentity().regenerateSecret(participant.clientId);
      return { participant, clientSecret };
    });
  }

  /**
   * A new webhook secret; the ones before stay valid for `overlapHours` (default 24), so the
   * participant deploys the new one without a refused call, then they end.
   */
  async rotateWebhookSecret(code: string, overlapHours: number | undefined, author: ChangeAuthor) {
    const participantCode = parseParticipantCode(code);
    const overlap = overlapHours ?? DEFAULT_WEBHOOK_SECRET_OVERLAP_HOURS;
    if (!Number.isInteger(overlap) || overlap < 0 || overlap > MAX_WEBHOOK_SECRET_OVERLAP_HOURS) {
      throw new DomainError('BAD_USER_INPUT', `overlapHours must be a whole number from 0 to ${MAX_WEBHOOK_SECRET_OVERLAP_HOURS}`, { argument: 'overlapHours', rule: 'OVERLAP_HOURS' });
    }
    return this.repository.transaction(async (tx) => {
      const participant = await this.existing(tx, participantCode, true);
      if (participant.connectionKind !== 'WEBHOOK') {
        throw new DomainError('CONFLICT', `Participant ${participantCode} takes its tasks from events: it has no webhook secret`, { rule: 'NOT_A_WEBHOOK_PARTICIPANT' });
      }
      if (participant.status === 'RETIRED') {
        throw new DomainError('CONFLICT', `Participant ${participantCode} is retired: it gets no new credentials`, { rule: 'PARTICIPANT_RETIRED' });
      }
      const at = this.now();
      const previousRetireAt = new Date(at.getTime() + overlap * 3_600_000);
      const retired = await this.repository.retireWebhookSecrets(tx, participantCode, previousRetireAt);
      const secret = newWebhookSecret();
      const row = await this.repository.addWebhookSecret(tx, participantCode, secret, at);
      await this.record(tx, participantCode, 'WEBHOOK_SECRET_ROTATED', author, { secretId: row.id, previousRetireAt: previousRetireAt.toISOString(), previousSecrets: retired });
      return { participant, secretId: row.id, webhookSecret: secret, previousRetireAt };
    });
  }

  private requireIdentity(): IdentityAdmin {
    if (!this.identity) {
      throw new DomainError('SERVICE_UNAVAILABLE', 'The registry has no identity provider configured (OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): credentials cannot be issued', {
        rule: 'IDENTITY_ADMIN_NOT_CONFIGURED',
      });
    }
    return this.identity;
  }

  private async existing(tx: ParticipantsTx, code: string, lock: boolean): Promise<ParticipantRow> {
    const participant = await this.repository.find(code, tx, lock);
    if (!participant) throw new DomainError('NOT_FOUND', `No participant ${code} is registered`, { rule: 'PARTICIPANT_UNKNOWN', code });
    return participant;
  }

  private record(tx: ParticipantsTx, code: string, action: string, author: ChangeAuthor, details: Record<string, unknown>): Promise<void> {
    return this.repository.recordChange(tx, changeOf(code, action, author, details));
  }
}

/** A history entry of the registry: what was done to a participant, by whom, in which request. */
export function changeOf(code: string, action: string, author: ChangeAuthor, details: Record<string, unknown>): NewParticipantChange {
  const caller = author.caller;
  return {
    participantCode: code,
    action,
    details,
    actor: caller?.subject ?? ANONYMOUS_ACTOR.actor,
    client: caller?.client ?? ANONYMOUS_ACTOR.client,
    roles: [...(caller?.roles ?? [])].sort(),
    correlationId: author.correlationId,
  };
}
