import { describe, expect, it } from 'vitest';
import { RenderCoalescer } from '../../src/bot/answer/coalesce.js';

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
    expect(started).toHaveLength(1);

    // Asked after the render began (an entry may have been written in between): it waits for the next render,
    // and so does everyone asking meanwhile; one render serves them all.
    clock.now = 150;
    const later = coalescer.run('W46', 120, compute);
    const later2 = coalescer.run('W46', 140, compute);
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
    expect(started).toHaveLength(2);
    started[0]!.reject(new Error('database is locked'));
    started[1]!.resolve('rep copy');
    await expect(a).rejects.toThrow('database is locked');
    expect(await b).toBe('rep copy');

    const again = coalescer.run('W46|cfo', 0, compute);
    expect(started).toHaveLength(3);
    started[2]!.resolve('cfo copy');
    expect(await again).toBe('cfo copy');
  });
});
