import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import nock from 'nock';
import { z } from 'zod';
import { RequestLimiter, limitsFromSettings, type LimiterClock, type Permit } from '../../src/integrations/limiter.js';
import { createHttpClient } from '../../src/integrations/http.js';

nock.disableNetConnect();
nock.enableNetConnect('127.0.0.1');

/** A manual clock: timers fire only when the test advances time. */
class FakeClock implements LimiterClock {
  time = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  now = () => this.time;
  setTimer = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  };
  clearTimer = (handle: unknown) => {
    this.timers = this.timers.filter((timer) => timer.id !== handle);
  };
  async advanceTo(time: number): Promise<void> {
    await flush();
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= time).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = due.at;
      this.timers = this.timers.filter((timer) => timer !== due);
      due.fn();
      await flush();
    }
    this.time = time;
    await flush();
  }
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Starts `count` acquisitions and records the fake time each was granted, releasing at once. */
function startMany(limiter: RequestLimiter, clock: FakeClock, count: number, bucket?: string, grants: number[] = []): number[] {
  for (let i = 0; i < count; i++) {
    void limiter.acquire(bucket).then((permit) => {
      grants.push(clock.now());
      permit.release();
    });
  }
  return grants;
}

function maxInAnyWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j < sorted.length && sorted[j]! - sorted[i]! < windowMs) j++;
    best = Math.max(best, j - i);
  }
  return best;
}

afterEach(() => {
  nock.cleanAll();
});

describe('RequestLimiter (fake clock)', () => {
  it('never starts more than max requests in any window', async () => {
    const clock = new FakeClock();
    const limiter = new RequestLimiter({ default: { max: 5, perMs: 1000 } }, undefined, clock);
    const grants = startMany(limiter, clock, 17);
    await clock.advanceTo(10_000);
    expect(grants).toHaveLength(17);
    expect(maxInAnyWindow(grants, 1000)).toBe(5);
    expect(grants.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    // Released at once (end = start), so the next five start one window (+1 ms guard) later.
    expect(grants.slice(5, 10)).toEqual([1001, 1001, 1001, 1001, 1001]);
  });

  it('by default keeps an unanswered request in its window until perMs after its response', async () => {
    const clock = new FakeClock();
    const limiter = new RequestLimiter({ default: { max: 1, perMs: 1000 } }, undefined, clock);
    const first = await limiter.acquire();
    const grants = startMany(limiter, clock, 1);
    await clock.advanceTo(5000);
    expect(grants).toEqual([]);
    first.release();
    await clock.advanceTo(7000);
    expect(grants).toEqual([6001]);
  });

  it('with marginMs keeps a slow request in its window until perMs after start + margin', async () => {
    const clock = new FakeClock();
    const limiter = new RequestLimiter({ default: { max: 1, perMs: 1000, marginMs: 50 } }, undefined, clock);
    const first = await limiter.acquire();
    const grants: number[] = [];
    void limiter.acquire().then((permit) => grants.push(clock.now()) && permit.release());
    await clock.advanceTo(2000);
    // The first request was never answered: assumed to have reached the server by 50 ms.
    expect(grants).toEqual([1051]);
    first.release();
  });

  it('uses the response time when the answer came back within the margin', async () => {
    const clock = new FakeClock();
    const limiter = new RequestLimiter({ default: { max: 1, perMs: 1000, marginMs: 50 } }, undefined, clock);
    const first = await limiter.acquire();
    await clock.advanceTo(20);
    first.release();
    const grants = startMany(limiter, clock, 1);
    await clock.advanceTo(3000);
    expect(grants).toEqual([1021]);
  });

  it('makes a request naming a bucket pass both that bucket and the default one', async () => {
    const clock = new FakeClock();
    const limiter = new RequestLimiter({ default: { max: 5, perMs: 1000 }, search: { max: 2, perMs: 1000 } }, undefined, clock);
    const searchGrants = startMany(limiter, clock, 3, 'search');
    const plainGrants = startMany(limiter, clock, 4);
    await clock.advanceTo(0);
    expect(searchGrants).toEqual([0, 0]);
    // Two default slots went to the searches.
    expect(plainGrants).toEqual([0, 0, 0]);
    await clock.advanceTo(5000);
    expect(searchGrants).toEqual([0, 0, 1001]);
    expect(plainGrants).toEqual([0, 0, 0, 1001]);
    expect(maxInAnyWindow([...searchGrants, ...plainGrants], 1000)).toBe(5);
  });

  it('lets an exemptFromDefault bucket bypass the default window', async () => {
    const clock = new FakeClock();
    const limiter = new RequestLimiter(
      { default: { max: 3, perMs: 10_000 }, search: { max: 4, perMs: 1000, exemptFromDefault: true } },
      undefined,
      clock,
    );
    const plainGrants = startMany(limiter, clock, 3);
    const searchGrants = startMany(limiter, clock, 6, 'search');
    await clock.advanceTo(0);
    expect(plainGrants).toEqual([0, 0, 0]);
    expect(searchGrants).toEqual([0, 0, 0, 0]);
    await clock.advanceTo(1000);
    expect(searchGrants).toHaveLength(4);
    await clock.advanceTo(1001);
    expect(searchGrants).toEqual([0, 0, 0, 0, 1001, 1001]);
  });

  it('caps requests in flight per client and per bucket', async () => {
    const clock = new FakeClock();
    const limiter = new RequestLimiter(
      { default: { max: 100, perMs: 1000 }, search: { max: 100, perMs: 1000 } },
      { default: 3, search: 1 },
      clock,
    );
    const held: Permit[] = [];
    for (let i = 0; i < 5; i++) void limiter.acquire(i < 2 ? 'search' : undefined).then((permit) => held.push(permit));
    await flush();
    // search is capped at 1, so the second search waits while two plain requests fill the client cap of 3.
    expect(held).toHaveLength(3);
    expect(limiter.waiting).toBe(2);
    held[0]!.release();
    await flush();
    expect(held).toHaveLength(4);
    for (const permit of held) permit.release();
    await flush();
    expect(held).toHaveLength(5);
    expect(limiter.waiting).toBe(0);
  });

  it('rejects a bucket it was not configured with', () => {
    const limiter = new RequestLimiter({ default: { max: 1, perMs: 1000 } }, undefined, new FakeClock());
    expect(() => limiter.acquire('serach')).toThrow(/unknown limiter bucket "serach"/);
  });
});

describe('limitsFromSettings', () => {
  const defaults = { default: { max: 100, perMs: 10_000 }, search: { max: 4, perMs: 1000, exemptFromDefault: true } };

  it('overrides configured buckets and keeps the rest', () => {
    expect(limitsFromSettings(defaults, { default: { max: 190, per_seconds: 10 } })).toEqual({
      default: { max: 190, perMs: 10_000 },
      search: { max: 4, perMs: 1000, exemptFromDefault: true },
    });
    expect(limitsFromSettings(defaults, { search: { max: 3, per_seconds: 1.5 } }).search).toEqual({
      max: 3,
      perMs: 1500,
      exemptFromDefault: true,
    });
    expect(limitsFromSettings(defaults, undefined)).toEqual(defaults);
  });

  it('reports an unknown bucket instead of ignoring it', () => {
    expect(() => limitsFromSettings(defaults, { serch: { max: 1, per_seconds: 1 } })).toThrow(
      'rate_limit.serch: unknown bucket (known: default, search)',
    );
  });
});

describe('createHttpClient against a loopback server', () => {
  let server: http.Server | undefined;

  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  async function listen(handler: http.RequestListener): Promise<string> {
    server = http.createServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('never lets more than max requests arrive in any window, as the server sees them', async () => {
    const arrivals: number[] = [];
    const baseURL = await listen((_req, res) => {
      arrivals.push(performance.now());
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    const client = createHttpClient({ source: 'test', baseURL, limits: { default: { max: 5, perMs: 200 } } });
    const results = await Promise.all(Array.from({ length: 16 }, () => client.request({ url: '/ping' }, z.object({ ok: z.boolean() }))));
    expect(results).toHaveLength(16);
    expect(client.stats.calls).toBe(16);
    expect(arrivals).toHaveLength(16);
    expect(maxInAnyWindow(arrivals, 200)).toBe(5);
  });

  it('gets no 429 from a server enforcing the same windows, with an exempt search bucket', async () => {
    const arrivals = { default: [] as number[], search: [] as number[] };
    const limits = { default: { max: 5, perMs: 200 }, search: { max: 2, perMs: 100 } };
    let rejected = 0;
    const baseURL = await listen((req, res) => {
      const bucket = req.url?.startsWith('/search') ? 'search' : 'default';
      const now = performance.now();
      const seen = arrivals[bucket];
      const { max, perMs } = limits[bucket];
      const inWindow = seen.filter((at) => at > now - perMs).length;
      seen.push(now);
      res.setHeader('content-type', 'application/json');
      if (inWindow >= max) {
        rejected++;
        res.statusCode = 429;
        res.setHeader('retry-after', '0');
      }
      res.end('{}');
    });
    const client = createHttpClient({
      source: 'test',
      baseURL,
      limits: { default: limits.default, search: { ...limits.search, exemptFromDefault: true } },
      maxConcurrency: 4,
    });
    const schema = z.object({});
    await Promise.all([
      ...Array.from({ length: 14 }, (_, i) => client.request({ url: `/objects/${i}` }, schema)),
      ...Array.from({ length: 8 }, (_, i) => client.request({ method: 'POST', url: '/search', data: { i }, bucket: 'search' }, schema)),
    ]);
    expect(rejected).toBe(0);
    expect(client.stats).toEqual({ calls: 22, rateLimited: 0, retries: 0 });
    expect(arrivals.search).toHaveLength(8);
    expect(arrivals.default).toHaveLength(14);
  });

  it('never has more than maxConcurrency requests in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const baseURL = await listen((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.setHeader('content-type', 'application/json');
        res.end('[]');
      }, 15);
    });
    const client = createHttpClient({
      source: 'test',
      baseURL,
      limits: { default: { max: 1000, perMs: 1000 } },
      maxConcurrency: 3,
    });
    await Promise.all(Array.from({ length: 10 }, () => client.request({ url: '/slow' }, z.array(z.unknown()))));
    expect(peak).toBe(3);
  });
});
