import type { ParticipantsContext } from '../../context';
import type { AccessGrantRow, AgreementRow, ParticipantRow } from '../../db/schema';
import type { AgreementStatus } from './agreements.repository';
import type { AgreementInput, GrantRequest } from './agreements.service';

const authorOf = (context: ParticipantsContext) => ({ caller: context.caller, correlationId: context.caller?.correlationId ?? context.correlationId });
const iso = (value: Date | null) => value?.toISOString() ?? null;

export const agreementsResolvers = {
  Query: {
    clientAccess: (_: unknown, args: { clientId: string }, context: ParticipantsContext) => context.agreements.clientAccess(args.clientId, context.caller),
  },
  Mutation: {
    recordAgreement: (_: unknown, args: { input: AgreementInput }, context: ParticipantsContext) => context.agreements.createAgreement(args.input, authorOf(context)),
    changeAgreementStatus: (_: unknown, args: { id: string; status: AgreementStatus }, context: ParticipantsContext) => context.agreements.changeAgreementStatus(args.id, args.status, authorOf(context)),
    requestAccessGrant: (_: unknown, args: { input: GrantRequest }, context: ParticipantsContext) => context.agreements.requestGrant(args.input, authorOf(context)),
    approveAccessGrant: (_: unknown, args: { id: string }, context: ParticipantsContext) => context.agreements.approveGrant(args.id, authorOf(context)),
    revokeAccessGrant: (_: unknown, args: { id: string }, context: ParticipantsContext) => context.agreements.revokeGrant(args.id, authorOf(context)),
  },
  Participant: {
    agreements: (row: ParticipantRow, _: unknown, context: ParticipantsContext) => context.agreements.agreementsOf(row.code),
  },
  Agreement: {
    grants: (row: AgreementRow, _: unknown, context: ParticipantsContext) => context.agreements.grantsOf(row.id),
  },
  AccessGrant: {
    approvedAt: (row: AccessGrantRow) => iso(row.approvedAt),
    revokedAt: (row: AccessGrantRow) => iso(row.revokedAt),
  },
};
