import type { ApplicationTaskState } from '@simpul/events';
import { deriveApplicationStatus } from './application-status';

describe('deriveApplicationStatus', () => {
  it.each<[ApplicationTaskState[], string]>([
    [['ASSIGNED', 'PENDING', 'PENDING'], 'SUBMITTED'],
    [['ASSIGNED', 'ASSIGNED'], 'SUBMITTED'],
    [[], 'SUBMITTED'],
    [['RECEIVED', 'PENDING'], 'IN_PROGRESS'],
    [['IN_REVIEW', 'ASSIGNED'], 'IN_PROGRESS'],
    [['APPROVED', 'ASSIGNED', 'ASSIGNED'], 'IN_PROGRESS'],
    // A rejection while other tasks still run is not final yet.
    [['APPROVED', 'REJECTED', 'IN_REVIEW'], 'IN_PROGRESS'],
    [['APPROVED', 'APPROVED', 'APPROVED'], 'COMPLETED'],
    [['APPROVED', 'REJECTED', 'APPROVED'], 'PARTIALLY_REJECTED'],
    [['APPROVED', 'REJECTED', 'CANCELLED'], 'PARTIALLY_REJECTED'],
    [['REJECTED', 'CANCELLED', 'CANCELLED'], 'REJECTED'],
    [['REJECTED', 'REJECTED'], 'REJECTED'],
  ])('%j → %s', (states, expected) => {
    expect(deriveApplicationStatus(states)).toBe(expected);
  });

  it('is independent of the order of the tasks', () => {
    expect(deriveApplicationStatus(['CANCELLED', 'APPROVED', 'REJECTED'])).toBe(deriveApplicationStatus(['REJECTED', 'CANCELLED', 'APPROVED']));
  });
});
