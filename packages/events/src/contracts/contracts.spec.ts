import { createEvent, EventContractError, parseEvent, serializeEvent } from './registry';
import { hashNik, isParticipantCode, matchesCivilRegistryNumber, newTraceparent, shareableDocument, TRACEPARENT_PATTERN } from './common';
import { dlqTopic, isDlqTopic, taskAssignedTopic } from './topics';
import { isUuidV7, uuidv7, uuidv7Timestamp } from './uuid-v7';

const applicationId = '01955992-1220-7000-8000-a1b2c3000001';
const taskId = '01955992-1234-7000-8000-a1b2c3000008';
const meta = { source: 'licensing', subject: applicationId, correlationId: applicationId };

describe('uuidv7', () => {
  it('has version 7, the RFC 9562 variant and the creation time', () => {
    const now = Date.parse('2025-03-03T01:15:00.000Z');
    const id = uuidv7(now);
    expect(isUuidV7(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
    expect(uuidv7Timestamp(id)).toBe(now);
  });

  it('sorts in creation order within one millisecond and when the clock steps back', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => uuidv7(1_800_000_000_000 - (i % 7)));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('hashNik', () => {
  it('is a keyed hash: stable for one pepper, different for another', () => {
    const a = hashNik('3510014502900003', 'pepper-of-regency-a');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(hashNik('3510014502900003', 'pepper-of-regency-a')).toBe(a);
    expect(hashNik('3510014502900003', 'pepper-of-regency-b')).not.toBe(a);
    expect(hashNik('3510014502900004', 'pepper-of-regency-a')).not.toBe(a);
  });

  it('refuses a malformed NIK or a short pepper', () => {
    expect(() => hashNik('35100145029', 'pepper-of-regency-a')).toThrow(/16-digit/);
    expect(() => hashNik('3510014502900003', 'short')).toThrow(/pepper/);
  });
});

describe('participant codes and topics', () => {
  it.each(['dukcapil', 'religious-affairs', 'bank-bpd', 'bpjs-kesehatan', 'pln', 'bank-bpd2'])('accepts %s', (code) => {
    expect(isParticipantCode(code)).toBe(true);
    expect(taskAssignedTopic(code)).toBe(`mpp.task.assigned.${code}.v1`);
  });

  it.each(['Dukcapil', 'bank_bpd', '-pln', 'pln-', 'bank--bpd', '', '1bank', 'a'.repeat(41)])('rejects %j', (code) => {
    expect(isParticipantCode(code)).toBe(false);
    expect(() => taskAssignedTopic(code)).toThrow(/invalid participant code/);
  });

  it('names dead-letter topics <topic>.dlq', () => {
    expect(dlqTopic('mpp.task.status.v1')).toBe('mpp.task.status.v1.dlq');
    expect(isDlqTopic('mpp.task.status.v1.dlq')).toBe(true);
    expect(() => dlqTopic('mpp.task.status.v1.dlq')).toThrow(/already/);
  });

  it('generates W3C traceparents', () => {
    expect(newTraceparent()).toMatch(TRACEPARENT_PATTERN);
    expect(TRACEPARENT_PATTERN.test(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBe(false);
  });
});

describe('createEvent / parseEvent', () => {
  it('round-trips an event through the wire format, filling id, time, trace and defaults', () => {
    const event = createEvent('mpp.task.status', { taskId, applicationId, participant: 'licensing', status: 'RECEIVED' }, meta);
    expect(event).toMatchObject({ type: 'mpp.task.status', version: 1, source: 'licensing', data: { documents: [] } });
    expect(isUuidV7(event.id)).toBe(true);
    expect(event.traceparent).toMatch(TRACEPARENT_PATTERN);
    const parsed = parseEvent(serializeEvent(event));
    expect(parsed).toEqual({ ok: true, event });
  });

  it('rejects invalid data with the field at fault', () => {
    expect(() => createEvent('mpp.task.status', { taskId, applicationId, participant: 'licensing', status: 'REJECTED' }, meta)).toThrow(
      /data\.reason: a REJECTED task status needs a reason/,
    );
    try {
      createEvent('mpp.task.status', { taskId, applicationId, participant: 'Licensing', status: 'APPROVED' }, meta);
      throw new Error('expected a contract error');
    } catch (error) {
      expect(error).toBeInstanceOf(EventContractError);
      expect((error as EventContractError).rule).toBe('INVALID_EVENT');
      expect((error as EventContractError).issues[0]?.path).toEqual(['data', 'participant']);
    }
  });

  it('never lets a plaintext NIK be the subject', () => {
    const data = {
      applicationId,
      applicationType: 'BUSINESS_START',
      mppOffice: 'MPP Banyuwangi',
      submittedAt: '2025-03-03T01:15:00.000Z',
      participants: ['licensing'],
      dueAt: '2025-03-08T01:15:00.000Z',
    };
    expect(() => createEvent('mpp.application.submitted', data, { ...meta, source: 'applications', subject: '3510014502900003' })).toThrow(/subject/);
    const subject = hashNik('3510014502900003', 'pepper-of-regency-a');
    expect(createEvent('mpp.application.submitted', data, { ...meta, source: 'applications', subject }).subject).toBe(subject);
  });

  it('rejects fields the contract does not define (e.g. a NIK slipped into a status event)', () => {
    const event = createEvent('mpp.task.status', { taskId, applicationId, participant: 'licensing', status: 'APPROVED' }, meta);
    const leaked = { ...event, data: { ...event.data, nik: '3510014502900003' } };
    const result = parseEvent(JSON.stringify(leaked));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.rule).toBe('INVALID_EVENT');
    expect(!result.ok && result.error.message).toMatch(/nik/);
  });

  it('keeps civil-registry numbers off the shared status topic: a KK or NIK document only masked, none in a reason', () => {
    const approved = { taskId, applicationId, participant: 'dukcapil', status: 'APPROVED' as const };
    const kk = '3510010101250001';
    expect(() => createEvent('mpp.task.status', { ...approved, documents: [{ kind: 'FAMILY_CARD', number: kk }] }, meta)).toThrow(/documents.*masked/);
    expect(() => createEvent('mpp.task.status', { ...approved, reason: `Family card ${kk} issued.` }, meta)).toThrow(/reason/);
    const masked = createEvent('mpp.task.status', { ...approved, documents: [shareableDocument({ kind: 'FAMILY_CARD', number: kk })] }, meta);
    expect(masked.data.documents).toEqual([{ kind: 'FAMILY_CARD', number: '************0001' }]);
    expect(matchesCivilRegistryNumber(kk, masked.data.documents[0]!.number)).toBe(true);
    expect(matchesCivilRegistryNumber('3510010101250002', masked.data.documents[0]!.number)).toBe(false);
    // Other document numbers travel as issued.
    expect(shareableDocument({ kind: 'NIB', number: '9120304567891' })).toEqual({ kind: 'NIB', number: '9120304567891' });
  });

  it.each([
    ['INVALID_JSON', 'not json {'],
    ['INVALID_ENVELOPE', JSON.stringify({ type: 'mpp.task.status', version: 1 })],
    ['UNKNOWN_EVENT_TYPE', 'mpp.task.cancelled'],
    ['UNKNOWN_EVENT_VERSION', 'mpp.task.status@2'],
  ])('classifies %s', (rule, input) => {
    const base = createEvent('mpp.task.status', { taskId, applicationId, participant: 'licensing', status: 'RECEIVED' }, meta);
    let message = input;
    if (rule === 'UNKNOWN_EVENT_TYPE') message = JSON.stringify({ ...base, type: input });
    if (rule === 'UNKNOWN_EVENT_VERSION') message = JSON.stringify({ ...base, version: 2 });
    const result = parseEvent(message);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.rule).toBe(rule);
  });
});
