import type { z } from 'zod';
import { applicationStatusV1 } from './application-status';
import { applicationSubmittedV1 } from './application-submitted';
import { newTraceparent } from './common';
import { anyEnvelopeSchema, type EventContract } from './define-event';
import { taskAssignedV1 } from './task-assigned';
import { taskStatusV1 } from './task-status';
import { uuidv7 } from './uuid-v7';

/**
 * Every event version Simpul has ever published. Versions are only ever added: a breaking change to
 * an event becomes `<type>.v2` (new schema, new topic) next to v1. The compatibility test freezes each
 * version's JSON Schema under fixtures/schemas/.
 */
export const EVENT_CONTRACTS = [applicationSubmittedV1, taskAssignedV1, taskStatusV1, applicationStatusV1] as const;

type Contract = (typeof EVENT_CONTRACTS)[number];
export type EventType = Contract['type'];
export type SimpulEvent = z.output<Contract['envelope']>;
export type EventOf<T extends EventType> = Extract<SimpulEvent, { type: T }>;
/** What a producer passes as `data` (defaults such as `documents: []` may be omitted). */
export type EventDataInput<T extends EventType> = z.input<Extract<Contract, { type: T }>['data']>;
export type EventData<T extends EventType> = EventOf<T>['data'];

export const EVENT_TYPES: readonly EventType[] = [...new Set(EVENT_CONTRACTS.map((c) => c.type))];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** The contract of one event version, or undefined. */
export function findContract(type: string, version: number): EventContract | undefined {
  return (EVENT_CONTRACTS as readonly EventContract[]).find((c) => c.type === type && c.version === version);
}

/** The newest version of an event type: what producers publish. */
export function latestContract<T extends EventType>(type: T): Extract<Contract, { type: T }> {
  let latest: EventContract | undefined;
  for (const contract of EVENT_CONTRACTS as readonly EventContract[]) {
    if (contract.type === type && (!latest || contract.version > latest.version)) latest = contract;
  }
  if (!latest) throw new Error(`unknown event type ${type}`);
  return latest as Extract<Contract, { type: T }>;
}

function contractOf(event: SimpulEvent): EventContract {
  const contract = findContract(event.type, event.version);
  if (!contract) throw new Error(`no contract for ${event.type}.v${event.version}`);
  return contract;
}

/** The topic this event is published to. */
export function topicOf(event: SimpulEvent): string {
  return contractOf(event).topic(event.data);
}

/** The partition key: the application id. */
export function keyOf(event: SimpulEvent): string {
  return contractOf(event).key(event.data);
}

export interface EventMeta {
  /** Participant code of the producer, e.g. `applications`, `dukcapil`, `bank-bpd`. */
  source: string;
  /** The application id, or hashNik(…) for events about a person (never a plaintext NIK). */
  subject: string;
  /** The application's correlation id (its id, or the id of the request that started it). */
  correlationId: string;
  /** The caller's W3C traceparent; a new root trace when omitted. */
  traceparent?: string;
  id?: string;
  occurredAt?: Date | string;
}

export class EventContractError extends Error {
  constructor(
    readonly rule: ParseEventRule,
    message: string,
    readonly issues: z.core.$ZodIssue[] = [],
  ) {
    super(message);
    this.name = 'EventContractError';
  }
}

/** Builds and validates an event of the newest version of `type`; throws EventContractError if invalid. */
export function createEvent<T extends EventType>(type: T, data: EventDataInput<T>, meta: EventMeta): EventOf<T> {
  const contract = latestContract(type) as EventContract;
  const occurredAt = meta.occurredAt ?? new Date();
  const candidate = {
    id: meta.id ?? uuidv7(),
    type,
    version: contract.version,
    occurredAt: typeof occurredAt === 'string' ? occurredAt : occurredAt.toISOString(),
    source: meta.source,
    subject: meta.subject,
    correlationId: meta.correlationId,
    traceparent: meta.traceparent ?? newTraceparent(),
    data,
  };
  const result = contract.envelope.safeParse(candidate);
  if (!result.success) {
    throw new EventContractError('INVALID_EVENT', `invalid ${contract.name} event: ${summarize(result.error.issues)}`, result.error.issues);
  }
  return result.data as EventOf<T>;
}

export type ParseEventRule =
  /** The message is not JSON. */
  | 'INVALID_JSON'
  /** Not an envelope: a required field is missing or malformed. */
  | 'INVALID_ENVELOPE'
  /** No contract has this `type`. */
  | 'UNKNOWN_EVENT_TYPE'
  /** The type is known, this `version` is not (a producer newer than this consumer). */
  | 'UNKNOWN_EVENT_VERSION'
  /** The envelope is fine, the event does not match its contract. */
  | 'INVALID_EVENT';

export type ParseEventResult =
  | { ok: true; event: SimpulEvent }
  | { ok: false; error: { rule: ParseEventRule; message: string; issues: z.core.$ZodIssue[] } };

/** Parses and validates a serialised event against the contract of its type and version. */
export function parseEvent(input: string | unknown): ParseEventResult {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (error) {
      return fail('INVALID_JSON', `not JSON: ${(error as Error).message}`);
    }
  }
  const envelope = anyEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    return fail('INVALID_ENVELOPE', `not an event envelope: ${summarize(envelope.error.issues)}`, envelope.error.issues);
  }
  const { type, version } = envelope.data;
  const contract = findContract(type, version);
  if (!contract) {
    return isEventType(type)
      ? fail('UNKNOWN_EVENT_VERSION', `unknown version ${version} of ${type}`)
      : fail('UNKNOWN_EVENT_TYPE', `unknown event type ${type}`);
  }
  const parsed = contract.envelope.safeParse(json);
  if (!parsed.success) {
    return fail('INVALID_EVENT', `invalid ${contract.name} event: ${summarize(parsed.error.issues)}`, parsed.error.issues);
  }
  return { ok: true, event: parsed.data as SimpulEvent };
}

function fail(rule: ParseEventRule, message: string, issues: z.core.$ZodIssue[] = []): ParseEventResult {
  return { ok: false, error: { rule, message, issues } };
}

function summarize(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Serialises an event for the wire (the outbox stores exactly this). */
export function serializeEvent(event: SimpulEvent): string {
  return JSON.stringify(event);
}
