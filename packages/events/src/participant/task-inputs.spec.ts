import { z } from 'zod';
import { PermanentEventError } from '../consumer/event-consumer';
import { uuidv7 } from '../contracts';
import { parseTaskInputs } from './task-inputs';
import type { AssignedTask } from './task-worker';

function task(inputs: AssignedTask['inputs']): AssignedTask {
  return {
    taskId: uuidv7(),
    applicationId: uuidv7(),
    applicationType: 'BUSINESS_START',
    participant: 'licensing',
    taskKind: 'ISSUE_NIB',
    inputs,
    dueAt: '2026-01-15T00:00:00.000Z',
    attempt: 1,
    eventId: uuidv7(),
    correlationId: uuidv7(),
  };
}

const schema = z.object({ businessName: z.string().min(1), kbli: z.string().regex(/^\d{5}$/, 'must be a 5-digit KBLI code') });

describe('parseTaskInputs', () => {
  it('returns the parsed inputs', () => {
    expect(parseTaskInputs(task({ businessName: 'Warung Sate Pak Budi', kbli: '56101' }), schema)).toEqual({ businessName: 'Warung Sate Pak Budi', kbli: '56101' });
  });

  it('throws a PermanentEventError naming the task and every problem by its path', () => {
    const malformed = task({ businessName: '', kbli: '5610' });
    expect(() => parseTaskInputs(malformed, schema)).toThrow(PermanentEventError);
    expect(() => parseTaskInputs(malformed, schema)).toThrow(`ISSUE_NIB task ${malformed.taskId} has malformed inputs: businessName: `);
    expect(() => parseTaskInputs(malformed, schema)).toThrow(/; kbli: must be a 5-digit KBLI code$/);
    expect(() => parseTaskInputs(malformed, z.string())).toThrow(/has malformed inputs: \(inputs\): /);
  });

  it('throws the error the caller makes of the problems', () => {
    class ContractError extends PermanentEventError {}
    const error = (problems: readonly string[]) => new ContractError(`${problems.length} problems`);
    expect(() => parseTaskInputs(task({}), schema, { error })).toThrow(new ContractError('2 problems'));
  });
});
