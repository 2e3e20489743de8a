import type { ParticipantsContext } from '../../context';
import type { ParticipantChangeRow, ParticipantRow, WebhookSecretRow } from '../../db/schema';
import type { ParticipantKind, ParticipantStatus, RegistrationInput } from './participant-rules';
import type { ChangeAuthor } from './participants.service';

const authorOf = (context: ParticipantsContext): ChangeAuthor => ({ caller: context.caller, correlationId: context.caller?.correlationId ?? context.correlationId });

export const participantsResolvers = {
  Query: {
    participants: (_: unknown, args: { status?: ParticipantStatus | null; kind?: ParticipantKind | null }, context: ParticipantsContext) =>
      context.participants.list({ status: args.status ?? undefined, kind: args.kind ?? undefined }),
    participant: async (_: unknown, args: { code: string }, context: ParticipantsContext) => (await context.participants.get(args.code)) ?? null,
  },
  Mutation: {
    registerParticipant: (_: unknown, args: { input: RegistrationInput }, context: ParticipantsContext) => context.participants.register(args.input, authorOf(context)),
    changeParticipantStatus: (_: unknown, args: { code: string; status: ParticipantStatus; reason?: string | null }, context: ParticipantsContext) =>
      context.participants.changeStatus(args.code, args.status, args.reason ?? undefined, authorOf(context)),
    rotateParticipantClientSecret: (_: unknown, args: { code: string }, context: ParticipantsContext) => context.participants.rotateClientSecret(args.code, authorOf(context)),
    rotateParticipantWebhookSecret: (_: unknown, args: { code: string; overlapHours?: number | null }, context: ParticipantsContext) =>
      context.participants.rotateWebhookSecret(args.code, args.overlapHours ?? undefined, authorOf(context)),
  },
  Participant: {
    connection: (row: ParticipantRow) => ({ kind: row.connectionKind, webhookUrl: row.webhookUrl }),
    registeredAt: (row: ParticipantRow) => row.registeredAt.toISOString(),
    statusChangedAt: (row: ParticipantRow) => row.statusChangedAt.toISOString(),
    webhookSecrets: async (row: ParticipantRow, _: unknown, context: ParticipantsContext) => {
      const now = Date.now();
      return (await context.participants.webhookSecrets(row.code)).map((secret: WebhookSecretRow) => ({
        id: secret.id,
        createdAt: secret.createdAt.toISOString(),
        retiresAt: secret.retiresAt?.toISOString() ?? null,
        active: secret.retiresAt === null || secret.retiresAt.getTime() > now,
      }));
    },
    changes: async (row: ParticipantRow, _: unknown, context: ParticipantsContext) =>
      (await context.participants.changes(row.code)).map((change: ParticipantChangeRow) => ({ ...change, at: change.at.toISOString(), details: JSON.stringify(change.details) })),
  },
  WebhookSecretIssued: {
    previousRetireAt: (issued: { previousRetireAt: Date }) => issued.previousRetireAt.toISOString(),
  },
};
