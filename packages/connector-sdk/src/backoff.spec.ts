import { backoffDelay, sleep, StoppingError } from './backoff';

describe('backoff', () => {
  it('grows by the factor from the initial delay and stops at the cap', () => {
    const backoff = { initialMs: 100, maxMs: 1_000, factor: 3 };
    expect([1, 2, 3, 4].map((attempt) => backoffDelay(attempt, backoff))).toEqual([100, 300, 900, 1_000]);
  });

  it('defaults to 500 ms doubling up to 30 s', () => {
    expect(backoffDelay(1)).toBe(500);
    expect(backoffDelay(2)).toBe(1_000);
    expect(backoffDelay(20)).toBe(30_000);
  });

  it('sleeps, and stops sleeping when the signal aborts', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const sleeping = sleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toBeInstanceOf(StoppingError);
    await expect(sleep(1, controller.signal)).rejects.toBeInstanceOf(StoppingError);
  });
});
