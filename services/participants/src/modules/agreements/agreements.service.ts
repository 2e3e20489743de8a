import { indonesianDate } from '@simpul/identifiers';
import { BadUserInputError, DomainError, type InternalCaller } from '@simpul/service-kit';
import type { AccessGrantRow, AgreementRow } from '../../db/schema';
import { credentialsOf, parseParticipantCode } from '../participants/participant-rules';
import { isUniqueViolation, type ParticipantsRepository } from '../participants/participants.repository';
import { changeOf, type ChangeAuthor } from '../participants/participants.service';
import type { AgreementsRepository, AgreementStatus } from './agreements.repository';
import { grantableItem, isOwnerAgency, isParticipantPurpose, withinCeiling } from './grantable-items';

const AGREEMENT_LIFECYCLE: Readonly<Record<AgreementStatus, readonly AgreementStatus[]>> = {
  DRAFT: ['ACTIVE', 'ENDED'],
  ACTIVE: ['SUSPENDED', 'ENDED'],
  SUSPENDED: ['ACTIVE', 'ENDED'],
  ENDED: [],
};

const ISO_DATE = /^\d{4}-\d\d-\d\d$/;

function isoDate(value: string, argument: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (!ISO_DATE.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new BadUserInputError(`${argument} must be a date YYYY-MM-DD`, { argument, rule: 'ISO_DATE' });
  }
  return value;
}

export interface AgreementInput {
  number: string;
  participantCode: string;
  ownerAgency: string;
  signedOn: string;
  validFrom: string;
  validUntil: string;
}

export interface GrantRequest {
  agreementId: string;
  item: string;
  claims: string[];
  purposes: string[];
}

/** What a registered client may do on one owner's items today: what the owner's subgraph enforces. */
export interface ClientAccess {
  /** False: the client is not the registry's (a client of the realm export): the SDL alone governs it. */
  registered: boolean;
  participantCode: string | null;
  grants: { agreementNumber: string; item: string; claims: string[]; purposes: string[] }[];
}

/** The agencies the caller acts for (`agency:<code>` roles). */
function agenciesOf(caller: InternalCaller | undefined): string[] {
  return (caller?.roles ?? []).filter((role) => role.startsWith('agency:')).map((role) => role.slice('agency:'.length));
}

/**
 * Agreements (PKS/NDA) and the access grants they carry, as data: an administrator records the
 * agreement and requests grants, the agency that owns the data approves or revokes them, and the
 * owner's subgraph asks `clientAccess` what a client may do (cached there for seconds).
 */
export class AgreementsService {
  constructor(
    private readonly agreements: AgreementsRepository,
    private readonly participants: ParticipantsRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  agreementsOf(code: string) {
    return this.agreements.agreementsOf(code);
  }

  grantsOf(agreementId: string) {
    return this.agreements.grantsOf(agreementId);
  }

  agreement(id: string) {
    return this.agreements.agreement(id);
  }

  async createAgreement(input: AgreementInput, author: ChangeAuthor): Promise<AgreementRow> {
    const number = input.number.trim();
    if (!/^[\w./ -]{3,80}$/.test(number)) throw new BadUserInputError('An agreement number is 3–80 letters, digits, spaces and . / - _', { argument: 'number', rule: 'AGREEMENT_NUMBER_FORMAT' });
    const participantCode = parseParticipantCode(input.participantCode, 'participantCode');
    if (!isOwnerAgency(input.ownerAgency)) {
      throw new BadUserInputError(`${input.ownerAgency} owns no grantable data`, { argument: 'ownerAgency', rule: 'OWNER_AGENCY_UNKNOWN' });
    }
    const signedOn = isoDate(input.signedOn, 'signedOn');
    const validFrom = isoDate(input.validFrom, 'validFrom');
    const validUntil = isoDate(input.validUntil, 'validUntil');
    if (validFrom > validUntil) throw new BadUserInputError('validFrom is after validUntil', { argument: 'validUntil', rule: 'AGREEMENT_PERIOD' });
    try {
      return await this.agreements.transaction(async (tx) => {
        if (!(await this.participants.find(participantCode, tx))) {
          throw new DomainError('NOT_FOUND', `No participant ${participantCode} is registered`, { rule: 'PARTICIPANT_UNKNOWN', code: participantCode });
        }
        const agreement = await this.agreements.insertAgreement(tx, { number, participantCode, ownerAgency: input.ownerAgency, signedOn, validFrom, validUntil, status: 'DRAFT' });
        await this.participants.recordChange(tx, changeOf(participantCode, 'AGREEMENT_RECORDED', author, { agreement: number, ownerAgency: input.ownerAgency, validFrom, validUntil }));
        return agreement;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError('CONFLICT', `Agreement ${number} is already recorded`, { rule: 'AGREEMENT_NUMBER_TAKEN' });
      throw error;
    }
  }

  async changeAgreementStatus(id: string, status: AgreementStatus, author: ChangeAuthor): Promise<AgreementRow> {
    return this.agreements.transaction(async (tx) => {
      const agreement = await this.existingAgreement(id, tx);
      if (!AGREEMENT_LIFECYCLE[agreement.status].includes(status)) {
        throw new DomainError('CONFLICT', `Agreement ${agreement.number} is ${agreement.status}: it cannot become ${status}`, { rule: 'ILLEGAL_TRANSITION', from: agreement.status, to: status });
      }
      const updated = await this.agreements.setAgreementStatus(tx, id, status);
      await this.participants.recordChange(tx, changeOf(agreement.participantCode, 'AGREEMENT_STATUS_CHANGED', author, { agreement: agreement.number, from: agreement.status, to: status }));
      return updated;
    });
  }

  /** A grant within the SDL's ceiling, for claims the item has, under purposes a participant may invoke: PENDING until the owner approves. */
  async requestGrant(request: GrantRequest, author: ChangeAuthor): Promise<AccessGrantRow> {
    return this.agreements.transaction(async (tx) => {
      const agreement = await this.existingAgreement(request.agreementId, tx);
      if (agreement.status === 'ENDED') throw new DomainError('CONFLICT', `Agreement ${agreement.number} has ended`, { rule: 'AGREEMENT_ENDED' });
      const item = grantableItem(agreement.ownerAgency, request.item);
      if (!item) throw new BadUserInputError(`${agreement.ownerAgency} has no grantable item ${request.item}`, { argument: 'item', rule: 'GRANT_ITEM_UNKNOWN' });
      const participant = (await this.participants.find(agreement.participantCode, tx))!;
      const { roles } = credentialsOf(participant.code, participant.kind);
      if (!withinCeiling(item.ceiling, roles)) {
        throw new DomainError('FORBIDDEN', `${request.item} of ${agreement.ownerAgency} is never open to ${roles.join(', ')}: its SDL allows only ${item.ceiling.join(', ')}`, {
          rule: 'GRANT_ABOVE_CEILING',
          ceiling: [...item.ceiling],
        });
      }
      const unknown = request.claims.filter((claim) => !item.claims.includes(claim));
      if (unknown.length || (item.claims.length > 0 && request.claims.length === 0)) {
        throw new BadUserInputError(`Claims of ${request.item}: ${item.claims.join(', ')}${unknown.length ? ` (not ${unknown.join(', ')})` : ''}`, { argument: 'claims', rule: 'GRANT_CLAIM_UNKNOWN' });
      }
      const badPurpose = request.purposes.find((purpose) => !isParticipantPurpose(purpose));
      if (request.purposes.length === 0 || badPurpose) {
        throw new BadUserInputError(`Purposes are legal-basis:<CODE> a participant may invoke${badPurpose ? ` (not ${badPurpose})` : ''}`, { argument: 'purposes', rule: 'GRANT_PURPOSE' });
      }
      const grant = await this.agreements.insertGrant(tx, {
        agreementId: agreement.id,
        item: request.item,
        claims: [...new Set(request.claims)],
        purposes: [...new Set(request.purposes)],
        status: 'PENDING',
        requestedBy: author.caller?.subject ?? 'anonymous',
      });
      await this.participants.recordChange(tx, changeOf(agreement.participantCode, 'GRANT_REQUESTED', author, { agreement: agreement.number, grant: grant.id, item: grant.item, claims: grant.claims, purposes: grant.purposes }));
      return grant;
    });
  }

  /** Approval by the agency that owns the item, and by it alone. */
  async approveGrant(id: string, author: ChangeAuthor): Promise<AccessGrantRow> {
    return this.decide(id, author, 'APPROVED');
  }

  /** Revocation by the owning agency (or an administrator): the owner's subgraph refuses within its cache's seconds. */
  async revokeGrant(id: string, author: ChangeAuthor): Promise<AccessGrantRow> {
    return this.decide(id, author, 'REVOKED');
  }

  async clientAccess(clientId: string, caller: InternalCaller | undefined): Promise<ClientAccess> {
    const owners = agenciesOf(caller);
    const participant = await this.agreements.participantByClient(clientId);
    if (!participant) return { registered: false, participantCode: null, grants: [] };
    if (participant.status !== 'ACTIVE' && participant.status !== 'SANDBOX') return { registered: true, participantCode: participant.code, grants: [] };
    const day = indonesianDate(this.now());
    const grants = [];
    for (const owner of owners) {
      for (const { grant, agreement } of await this.agreements.effectiveGrants(participant.code, owner, day)) {
        grants.push({ agreementNumber: agreement.number, item: grant.item, claims: grant.claims, purposes: grant.purposes });
      }
    }
    return { registered: true, participantCode: participant.code, grants };
  }

  private async decide(id: string, author: ChangeAuthor, decision: 'APPROVED' | 'REVOKED'): Promise<AccessGrantRow> {
    return this.agreements.transaction(async (tx) => {
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new BadUserInputError('A grant id is a UUID', { argument: 'id', rule: 'UUID' });
      const grant = await this.agreements.grant(id, tx, true);
      if (!grant) throw new DomainError('NOT_FOUND', `No access grant ${id}`, { rule: 'GRANT_UNKNOWN' });
      const agreement = (await this.agreements.agreement(grant.agreementId, tx))!;
      const byOwner = agenciesOf(author.caller).includes(agreement.ownerAgency);
      const byAdmin = author.caller?.roles.includes('admin') ?? false;
      if (!byOwner && !(decision === 'REVOKED' && byAdmin)) {
        throw new DomainError('FORBIDDEN', `Only ${agreement.ownerAgency} decides on access to its data`, { rule: 'GRANT_WRONG_APPROVER', owner: agreement.ownerAgency });
      }
      const allowedFrom = decision === 'APPROVED' ? ['PENDING'] : ['PENDING', 'APPROVED'];
      if (!allowedFrom.includes(grant.status)) {
        throw new DomainError('CONFLICT', `Grant ${id} is ${grant.status}: it cannot become ${decision}`, { rule: 'ILLEGAL_TRANSITION', from: grant.status, to: decision });
      }
      const who = author.caller?.subject ?? 'anonymous';
      const at = this.now();
      const updated = await this.agreements.updateGrant(
        tx,
        id,
        decision === 'APPROVED' ? { status: decision, approvedBy: who, approvedAt: at } : { status: decision, revokedBy: who, revokedAt: at },
      );
      await this.participants.recordChange(tx, changeOf(agreement.participantCode, decision === 'APPROVED' ? 'GRANT_APPROVED' : 'GRANT_REVOKED', author, { agreement: agreement.number, grant: id, item: grant.item }));
      return updated;
    });
  }

  private async existingAgreement(id: string, tx: Parameters<AgreementsRepository['agreement']>[1]): Promise<AgreementRow> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new BadUserInputError('An agreement id is a UUID', { argument: 'agreementId', rule: 'UUID' });
    const agreement = await this.agreements.agreement(id, tx, true);
    if (!agreement) throw new DomainError('NOT_FOUND', `No agreement ${id}`, { rule: 'AGREEMENT_UNKNOWN' });
    return agreement;
  }
}
