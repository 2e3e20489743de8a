import { freePort } from './ports';

describe('freePort', () => {
  it('never hands out the same port twice in one process, even while nothing has bound the earlier ones', async () => {
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    for (let i = 0; i < 250; i++) ports.push(await freePort());
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports.every((port) => port > 0 && port < 65536)).toBe(true);
  });
});
