import { createServer } from 'node:net';

/**
 * Ports this process already handed out: the kernel may offer a port again as soon as our probe
 * closes it, before the process it was meant for binds it, and two services of one stack then got
 * the same port (seen in CI, nine subgraphs started together).
 */
const handedOut = new Set<number>();

/** A TCP port free on 127.0.0.1 right now, never one this process handed out before. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await probeFreePort();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

function probeFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A port held open on 127.0.0.1 until `release()`: for a process that starts later but whose address
 * others must know now (the gateway, which agencies and participants call). A port from freePort()
 * could meanwhile be taken by any other process asking for a free port — another test's stack — whose
 * /readyz would then answer for ours.
 */
export async function reservePort(): Promise<{ port: number; release(): Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let released: Promise<void> | undefined;
  return {
    port,
    release: () => (released ??= new Promise<void>((resolve) => server.close(() => resolve()))),
  };
}
