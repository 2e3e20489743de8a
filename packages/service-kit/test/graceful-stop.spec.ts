import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

// A subgraph process stopped by SIGTERM must run its own stop to the end and exit 0 — Apollo's
// default signal handling would re-raise the signal and kill it half-way.
const fixture = `
const { parse } = require('graphql');
const { createLogger, createSubgraph, runService, serveSubgraph } = require(${JSON.stringify(join(__dirname, '..'))});
runService('fixture', async (logger) => {
  const subgraph = await createSubgraph({
    name: 'fixture',
    typeDefs: parse('type Query { ping: String }'),
    resolvers: { Query: { ping: () => 'pong' } },
    logger: createLogger('fixture', 'silent'),
    createContext: (base) => base,
  });
  const http = await serveSubgraph(subgraph, {});
  process.stdout.write('READY\\n');
  return {
    url: http.url,
    async stop() {
      await http.stop();
      await new Promise((resolve) => setTimeout(resolve, 300));
      process.stdout.write('STOPPED\\n');
    },
  };
});
`;

it('stops gracefully on SIGTERM and exits 0', async () => {
  const child = spawn(process.execPath, ['-e', fixture], { env: { ...process.env, LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  while (!output.includes('READY')) await new Promise((resolve) => setTimeout(resolve, 50));
  child.kill('SIGTERM');
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  expect({ code, signal }).toEqual({ code: 0, signal: null });
  expect(output).toContain('STOPPED');
});
