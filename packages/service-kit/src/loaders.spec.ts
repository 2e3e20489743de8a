import { manyByKeyLoader, oneByKeyLoader } from './loaders';

describe('per-request loaders', () => {
  it('batches keys into one fetch and groups rows back in key order', async () => {
    const fetches: string[][] = [];
    const loader = manyByKeyLoader(
      async (keys: readonly string[]) => {
        fetches.push([...keys]);
        return [{ nik: 'b', v: 1 }, { nik: 'a', v: 2 }, { nik: 'b', v: 3 }];
      },
      (row) => row.nik,
    );
    const [a, b, c] = await Promise.all([loader.load('a'), loader.load('b'), loader.load('c')]);
    expect(fetches).toEqual([['a', 'b', 'c']]);
    expect(a.map((r) => r.v)).toEqual([2]);
    expect(b.map((r) => r.v)).toEqual([1, 3]);
    expect(c).toEqual([]);
  });

  it('resolves missing entities to null', async () => {
    const loader = oneByKeyLoader(async () => [{ id: 'x' }], (row) => row.id);
    expect(await loader.loadMany(['x', 'y'])).toEqual([{ id: 'x' }, null]);
  });
});
