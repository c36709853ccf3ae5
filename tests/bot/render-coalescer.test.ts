import { describe, expect, it } from 'vitest';
import { RenderCoalescer } from '../../src/bot/answer/coalesce.js';
import { dataVersionOf } from '../../src/bot/answer/cache.js';
import { openStore } from '../../src/store/db.js';
import { upsertDailyValues } from '../../src/store/daily-values.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';

/** Lets the coalescer's pending steps (it reads the change token first) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A render the test finishes by hand, counting how many were started. */
function renders() {
  const started: { resolve: (value: string) => void; reject: (error: Error) => void }[] = [];
  const compute = () =>
    new Promise<string>((resolve, reject) => {
      started.push({ resolve, reject });
    });
  return { started, compute };
}

describe('RenderCoalescer', () => {
  it('shares a render begun after the request, and never one begun before it', async () => {
    const clock = { now: 100 };
    const coalescer = new RenderCoalescer<string>(() => clock.now);
    const { started, compute } = renders();

    const first = coalescer.run('W46', 100, compute);
    // Asked at the same instant the render began: it has every write made before the ask.
    const same = coalescer.run('W46', 100, compute);
    await settle();
    expect(started).toHaveLength(1);

    // Asked after the render began (an entry may have been written in between): it waits for the next render,
    // and so does everyone asking meanwhile; one render serves them all.
    clock.now = 150;
    const later = coalescer.run('W46', 120, compute);
    const later2 = coalescer.run('W46', 140, compute);
    await settle();
    expect(started).toHaveLength(1);

    clock.now = 200;
    started[0]!.resolve('render 1');
    expect(await first).toBe('render 1');
    expect(await same).toBe('render 1');
    await expect.poll(() => started.length).toBe(2);
    started[1]!.resolve('render 2');
    expect(await later).toBe('render 2');
    expect(await later2).toBe('render 2');

    // Done, and asked after it began: a fresh render.
    clock.now = 300;
    const fresh = coalescer.run('W46', 250, compute);
    await settle();
    expect(started).toHaveLength(3);
    started[2]!.resolve('render 3');
    expect(await fresh).toBe('render 3');
  });

  it('keeps keys apart, and does not hand a failed render to later requests', async () => {
    const clock = { now: 0 };
    const coalescer = new RenderCoalescer<string>(() => clock.now);
    const { started, compute } = renders();

    const a = coalescer.run('W46|cfo', 0, compute);
    const b = coalescer.run('W46|rep', 0, compute);
    await settle();
    expect(started).toHaveLength(2);
    started[0]!.reject(new Error('database is locked'));
    started[1]!.resolve('rep copy');
    await expect(a).rejects.toThrow('database is locked');
    expect(await b).toBe('rep copy');

    const again = coalescer.run('W46|cfo', 0, compute);
    await settle();
    expect(started).toHaveLength(3);
    started[2]!.resolve('cfo copy');
    expect(await again).toBe('cfo copy');
  });
});

describe.each(storeKinds())('RenderCoalescer over the store change token (%s)', (kind) => {
  const temp = useTempStore(kind);

  it('shares a finished render while nothing is committed, and renders afresh once another connection commits', async () => {
    const { store } = temp;
    const writer = await openStore(store.url);
    try {
      const clock = { now: 100 };
      const coalescer = new RenderCoalescer<string>(() => clock.now, dataVersionOf(store));
      let renders = 0;
      const compute = async () => `render ${++renders}`;

      expect(await coalescer.run('W49', 100, compute)).toBe('render 1');
      // Asked after that render began and ended, with nothing written since: the same rows, the same render.
      clock.now = 500;
      expect(await coalescer.run('W49', 400, compute)).toBe('render 1');
      expect(await coalescer.run('W49|web', 400, compute)).toBe('render 2');

      // Another connection (the entry thread, a refresh, the CLI) commits: the next ask renders again.
      await upsertDailyValues(writer, [
        { metric_id: 'cash', day: '2026-12-04', value: 1, source: 'sample', fetched_at: '2026-12-04T12:00:00.000Z', warnings: null },
      ]);
      clock.now = 900;
      expect(await coalescer.run('W49', 800, compute)).toBe('render 3');
      expect(await coalescer.run('W49', 850, compute)).toBe('render 3');
    } finally {
      await writer.close();
    }
  });

  it('shares by time alone when the token cannot be read', async () => {
    const clock = { now: 100 };
    const coalescer = new RenderCoalescer<string>(
      () => clock.now,
      () => Promise.reject(new Error('a read-only standby')),
    );
    let renders = 0;
    const compute = async () => `render ${++renders}`;
    expect(await coalescer.run('W49', 100, compute)).toBe('render 1');
    clock.now = 500;
    expect(await coalescer.run('W49', 400, compute)).toBe('render 2');
  });
});
