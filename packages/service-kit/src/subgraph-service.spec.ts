import { z } from 'zod';
import { describeEnv, EnvError, loadEnv } from './env';
import { serviceHelp } from './run-service';
import { serviceEnvSchemaOf } from './subgraph-service';

// A task worker's variables, as @simpul/events declares them (this package sits below events).
const tasks = { envShape: { EVENTS_URL: z.url().optional().describe('the embedded event broker'), TASK_MAX_ATTEMPTS: z.coerce.number().int().min(1).optional() } };

describe("a service's one list of variables", () => {
  it("parses the worker's variables with the service's, every problem listed at once", () => {
    const schema = serviceEnvSchemaOf({ tasks });
    const env = loadEnv(schema, { PORT: '4002', DATA_DIR: '/tmp/x', EVENTS_URL: 'http://127.0.0.1:4011', TASK_MAX_ATTEMPTS: '3' }) as Record<string, unknown>;
    expect(env).toMatchObject({ PORT: 4002, DATA_DIR: '/tmp/x', EVENTS_URL: 'http://127.0.0.1:4011', TASK_MAX_ATTEMPTS: 3 });
    let problems: string[] = [];
    try {
      loadEnv(schema, { PORT: 'x', DATA_DIR: '/tmp/x', TASK_MAX_ATTEMPTS: '0' });
    } catch (error) {
      problems = (error as EnvError).problems;
    }
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['PORT', 'TASK_MAX_ATTEMPTS']);
  });

  it('prints every variable with its default or requirement for --help', () => {
    const help = serviceHelp('licensing', serviceEnvSchemaOf({ tasks }));
    const lines = help.split('\n');
    const line = (name: string) => lines.find((l) => l.trimStart().startsWith(`${name} `));
    expect(line('PORT')).toMatch(/required/);
    expect(line('HOST')).toMatch(/default 127\.0\.0\.1\s+address the HTTP server listens on/);
    expect(line('AUDIT_URL')).toMatch(/optional\s+the audit log service/);
    expect(line('NIK_HASH_PEPPER')).toBeDefined();
    expect(line('SEED')).toMatch(/default 20171006/);
    expect(line('EVENTS_URL')).toMatch(/optional\s+the embedded event broker/);
    expect(line('TASK_MAX_ATTEMPTS')).toBeDefined();
    // Without a worker, its variables are not the service's.
    expect(describeEnv(serviceEnvSchemaOf({}))).not.toMatch(/EVENTS_URL/);
  });
});
