import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dlqTopic, taskAssignedTopic } from '@simpul/events';
import { postGraphQL } from '@simpul/testing';
import { startTaskWebhookConsumers } from '../src/modules/webhook/task-webhook.consumer';
import { eventually, startApplicationsService, startEventSide, type ApplicationsHarness, type EventsHarness } from './support/applications-service';

const SECRET = 'bank-bpd-webhook-secret-0123456789';

// bank-bpd's endpoint holds its first request without answering (a slow participant), then answers 200.
const held: ServerResponse[] = [];
const deliveries: string[] = [];
const participant: Server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  req.on('end', () => {
    deliveries.push(body);
    if (deliveries.length === 1) held.push(res);
    else res.writeHead(200).end();
  });
});

let service: ApplicationsHarness;
let events: EventsHarness & { stop(): Promise<void> };

beforeAll(async () => {
  await new Promise<void>((resolve) => participant.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(participant.address() as AddressInfo).port}/tasks`;
  service = await startApplicationsService('applications_webhook_shutdown', { webhooks: new Map([['bank-bpd', { code: 'bank-bpd', url, secret: SECRET }]]) });
  // One attempt: a delivery that fails is dead-lettered at once, unless it failed because of the shutdown.
  events = await startEventSide(service, { webhooks: { maxAttempts: 1, timeoutMs: 5000 } });
});

afterAll(async () => {
  await events?.stop();
  await service?.stop();
  participant.closeAllConnections();
  await new Promise((resolve) => participant.close(resolve));
});

it('leaves a delivery interrupted by the shutdown for redelivery, not in the DLQ', async () => {
  const response = await postGraphQL<{ submitApplication: { id: string } }>(
    service.graphqlUrl,
    `mutation ($input: SubmitApplicationInput!) { submitApplication(input: $input) { id } }`,
    { input: { type: 'VEHICLE_ANNUAL_RENEWAL', applicantNik: '3510010502900001', mppOffice: 'MPP Banyuwangi', inputs: [{ name: 'plateNumber', value: 'P 1234 AB' }] } },
  );
  const applicationId = response.data!.submitApplication.id;
  await eventually(() => expect(held).toHaveLength(1));

  const started = Date.now();
  await events.processing.webhooks.stop();
  expect(Date.now() - started).toBeLessThan(4000); // not waiting for the participant's 5 s timeout
  expect(await events.transport.read(dlqTopic(taskAssignedTopic('bank-bpd')))).toEqual([]);

  // The next consumer of the group (after a restart) delivers it again.
  const restarted = await startTaskWebhookConsumers(service.runtime, events.transport, { maxAttempts: 1 });
  try {
    await eventually(() => expect(deliveries).toHaveLength(2));
    expect(deliveries[1]).toBe(deliveries[0]);
    expect(deliveries[1]).toContain(applicationId);
  } finally {
    await restarted.stop();
  }
});
