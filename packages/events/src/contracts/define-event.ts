import { z } from 'zod';
import { participantCodeSchema, timestampSchema, traceparentSchema, uuidSchema } from './common';

const NIK_LIKE = /^\d{16}$/;

/** Envelope fields shared by every event (ARCHITECTURE.md §4), before the type-specific `data`. */
export const envelopeShape = {
  id: z.uuid({ version: 'v7' }),
  type: z.string().regex(/^[a-z]+(?:\.[a-z]+)+$/),
  version: z.number().int().min(1),
  occurredAt: timestampSchema,
  source: participantCodeSchema,
  subject: z
    .string()
    .min(1)
    .max(128)
    .refine((subject) => !NIK_LIKE.test(subject), 'subject must never be a plaintext NIK: use hashNik(nik, pepper)'),
  correlationId: uuidSchema,
  traceparent: traceparentSchema,
};

/** Any well-formed envelope, `data` not yet checked: the first step of parsing an unknown message. */
export const anyEnvelopeSchema = z.looseObject({ ...envelopeShape, data: z.unknown() });
export type AnyEnvelope = z.output<typeof anyEnvelopeSchema>;

export interface EventContract<
  TType extends string = string,
  TVersion extends number = number,
  TData extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>,
> {
  type: TType;
  version: TVersion;
  /** `<type>.v<version>`: names the fixture and frozen-schema files. */
  name: `${TType}.v${TVersion}`;
  description: string;
  data: TData;
  envelope: z.ZodType<Envelope<TType, TVersion, z.output<TData>>, EnvelopeInput<TType, TVersion, z.input<TData>>>;
  /** The topic an event goes to (may depend on its data, e.g. the participant). */
  topic(data: z.output<TData>): string;
  /** Partition key: the application id, so one application's events stay in order. */
  key(data: z.output<TData>): string;
}

interface EnvelopeBase<TType, TVersion> {
  id: string;
  type: TType;
  version: TVersion;
  occurredAt: string;
  source: string;
  subject: string;
  correlationId: string;
  traceparent: string;
}
export type Envelope<TType, TVersion, TData> = EnvelopeBase<TType, TVersion> & { data: TData };
export type EnvelopeInput<TType, TVersion, TData> = EnvelopeBase<TType, TVersion> & { data: TData };

export function defineEvent<TType extends string, TVersion extends number, TData extends z.ZodType<Record<string, unknown>>>(spec: {
  type: TType;
  version: TVersion;
  description: string;
  data: TData;
  /** This event's `subject` (an application id, a NIK hash); never a plaintext NIK. */
  subject: z.ZodType<string>;
  topic(data: z.output<TData>): string;
  key(data: z.output<TData>): string;
}): EventContract<TType, TVersion, TData> {
  const envelope = z
    .strictObject({
      ...envelopeShape,
      type: z.literal(spec.type),
      version: z.literal(spec.version),
      subject: spec.subject,
      data: spec.data,
    })
    .meta({ title: `${spec.type}.v${spec.version}`, description: spec.description });
  return {
    type: spec.type,
    version: spec.version,
    name: `${spec.type}.v${spec.version}`,
    description: spec.description,
    data: spec.data,
    envelope: envelope as unknown as EventContract<TType, TVersion, TData>['envelope'],
    topic: spec.topic,
    key: spec.key,
  };
}
