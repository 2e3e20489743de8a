import { taskStatusData } from './task-worker';

const task = { taskId: '01955992-1234-7000-8000-a1b2c3000008', applicationId: '01955992-1220-7000-8000-a1b2c3000001', participant: 'dukcapil' };

describe('taskStatusData', () => {
  it('reports a civil-registry number the handler issued masked (the status topic is shared), other numbers as issued', () => {
    const data = taskStatusData(task, {
      status: 'APPROVED',
      documents: [
        { kind: 'NIK', number: '3510014101250003' },
        { kind: 'FAMILY_CARD', number: '3510010101250001' },
        { kind: 'MOVING_CERTIFICATE', number: '3510-SKPWNI-20251207-0001' },
      ],
    });
    expect(data.documents).toEqual([
      { kind: 'NIK', number: '************0003' },
      { kind: 'FAMILY_CARD', number: '************0001' },
      { kind: 'MOVING_CERTIFICATE', number: '3510-SKPWNI-20251207-0001' },
    ]);
  });
});
