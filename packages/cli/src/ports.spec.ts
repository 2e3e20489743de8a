import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { describePortHolder, findBusyPorts, formatBusyPorts, listeningSocketInodes, probePort } from './ports';

async function listenSomewhere(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port };
}

async function freePortNumber(): Promise<number> {
  const { server, port } = await listenSomewhere();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('port checks', () => {
  let busy: { server: Server; port: number };
  beforeAll(async () => {
    busy = await listenSomewhere();
  });
  afterAll(async () => {
    await new Promise((resolve) => busy.server.close(resolve));
  });

  it('tells a free port from one a server listens on', async () => {
    expect(await probePort('127.0.0.1', busy.port)).toBe('in-use');
    expect(await probePort('127.0.0.1', await freePortNumber())).toBe('free');
  });

  it('sees a port taken on all interfaces as busy on loopback too', async () => {
    const wildcard = createServer();
    await new Promise<void>((resolve) => wildcard.listen(0, '0.0.0.0', resolve));
    const port = (wildcard.address() as { port: number }).port;
    try {
      expect(await probePort('127.0.0.1', port)).toBe('in-use');
    } finally {
      await new Promise((resolve) => wildcard.close(resolve));
    }
  });

  it('names only the busy ports and who should own them', async () => {
    const free = await freePortNumber();
    const result = await findBusyPorts('127.0.0.1', [
      { port: free, owner: 'dukcapil subgraph' },
      { port: busy.port, owner: 'tax subgraph' },
    ]);
    expect(result).toEqual([expect.objectContaining({ port: busy.port, owner: 'tax subgraph', state: 'in-use' })]);
    const message = formatBusyPorts('127.0.0.1', result);
    expect(message).toContain(`port ${busy.port} on 127.0.0.1 is already in use`);
    expect(message).toContain('the tax subgraph needs it');
    expect(message).not.toContain(String(free));
  });

  it('probes a claim on its own host when it has one', async () => {
    // Nothing can listen on 192.0.2.1 (TEST-NET-1, not an address of this machine): a wrong host would not say in-use.
    const result = await findBusyPorts('192.0.2.1', [{ port: busy.port, owner: 'event broker', host: '127.0.0.1' }]);
    expect(result).toEqual([expect.objectContaining({ port: busy.port, host: '127.0.0.1', state: 'in-use' })]);
    expect(formatBusyPorts('0.0.0.0', result)).toContain(`port ${busy.port} on 127.0.0.1 is already in use`);
  });

  (existsSync('/proc/net/tcp') ? it : it.skip)('finds the process holding a port through /proc', () => {
    expect(describePortHolder(busy.port)).toMatch(new RegExp(`^pid ${process.pid}: .*node`));
  });

  it('reads listening sockets out of a /proc/net/tcp table', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:0FA1 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0000 100 0 0 10 0',
      '   1: 0100007F:0FA1 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 222 1 0000 20 4 30 10 -1',
      '   2: 00000000:0FA3 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 333 1 0000 100 0 0 10 0',
    ].join('\n');
    expect(listeningSocketInodes(table, 4001)).toEqual(['111']);
    expect(listeningSocketInodes(table, 4003)).toEqual(['333']);
    expect(listeningSocketInodes(table, 4002)).toEqual([]);
  });
});
