import { z } from 'zod';
import type { RateLimit } from './http-types.js';

/**
 * An exact sliding-window limiter with per-bucket concurrency caps.
 *
 * Guarantee: for every bucket, no more than `max` requests *reach the server* in any window of `perMs`.
 * The server counts arrivals, which happen somewhere between our start and the response, so each request
 * occupies its bucket from its start until `perMs` (+1 ms) after the latest moment it can have arrived: its
 * response time. A new request starts only while fewer than `max` earlier requests still occupy the bucket.
 * The extra millisecond covers servers that count both ends of a window or stamp whole milliseconds.
 * Every attempt (retries included) takes a slot.
 *
 * `marginMs` trades exactness for throughput with slow APIs: a request is then assumed to have arrived by
 * `start + marginMs` even if its response takes longer.
 */

export interface LimiterClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export const systemClock: LimiterClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export type Limits = { default: RateLimit } & Record<string, RateLimit>;
export type Concurrency = number | ({ default: number } & Record<string, number>);

/** See the module comment: strictly more than `perMs` between two arrivals `max` requests apart. */
const GUARD_MS = 1;

interface Slot {
  start: number;
  end?: number;
}

class WindowBucket {
  private slots: Slot[] = [];

  constructor(
    readonly max: number,
    readonly perMs: number,
    /** Infinity unless configured: only the response bounds the arrival. */
    readonly marginMs: number,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`rate limit max must be a positive integer, got ${max}`);
    if (!(perMs > 0)) throw new RangeError(`rate limit perMs must be positive, got ${perMs}`);
    if (!(marginMs >= 0)) throw new RangeError(`rate limit marginMs must be ≥ 0, got ${marginMs}`);
  }

  private releaseAt(slot: Slot): number {
    const latestArrival = Math.min(slot.end ?? Infinity, slot.start + this.marginMs);
    return latestArrival + this.perMs + GUARD_MS;
  }

  /** The earliest time (≥ now means wait) a new request may start. */
  availableAt(now: number): number {
    this.slots = this.slots.filter((slot) => this.releaseAt(slot) > now);
    if (this.slots.length < this.max) return now;
    const releases = this.slots.map((slot) => this.releaseAt(slot)).sort((a, b) => a - b);
    return releases[this.slots.length - this.max] ?? now;
  }

  take(now: number): Slot {
    const slot: Slot = { start: now };
    this.slots.push(slot);
    return slot;
  }
}

export interface Permit {
  /** Marks the request as answered (or failed): frees its concurrency slot and tightens its window slot. */
  release(): void;
}

interface Waiter {
  buckets: WindowBucket[];
  concurrencyKeys: string[];
  resolve: (permit: Permit) => void;
}

export class RequestLimiter {
  private readonly buckets = new Map<string, WindowBucket>();
  private readonly exemptFromDefault = new Set<string>();
  private readonly caps = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private readonly queue: Waiter[] = [];
  private timer: unknown;
  private timerAt = Infinity;

  constructor(
    limits: Limits,
    concurrency: Concurrency | undefined,
    private readonly clock: LimiterClock = systemClock,
  ) {
    for (const [name, limit] of Object.entries(limits)) {
      this.buckets.set(name, new WindowBucket(limit.max, limit.perMs, limit.marginMs ?? Infinity));
      if (limit.exemptFromDefault && name !== 'default') this.exemptFromDefault.add(name);
    }
    const caps: Record<string, number> = typeof concurrency === 'number' ? { default: concurrency } : (concurrency ?? {});
    for (const [name, cap] of Object.entries(caps)) {
      if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`maxConcurrency.${name} must be a positive integer, got ${cap}`);
      this.caps.set(name, cap);
    }
  }

  /** Resolves when a request naming `bucket` (or none) may start; call `release()` on the permit when it ends. */
  acquire(bucket?: string): Promise<Permit> {
    if (bucket !== undefined && bucket !== 'default' && !this.buckets.has(bucket) && !this.caps.has(bucket)) {
      throw new RangeError(`unknown limiter bucket "${bucket}"`);
    }
    const names = bucket === undefined || bucket === 'default' ? ['default'] : [bucket];
    const rateNames = bucket && this.exemptFromDefault.has(bucket) ? names : [...new Set(['default', ...names])];
    const waiter = {
      buckets: rateNames.flatMap((name) => this.buckets.get(name) ?? []),
      // The default concurrency cap is client-wide: it applies to every request, exempt buckets included.
      concurrencyKeys: [...new Set(['default', ...names])].filter((name) => this.caps.has(name)),
    };
    return new Promise<Permit>((resolve) => {
      this.queue.push({ ...waiter, resolve });
      this.pump();
    });
  }

  /** Requests waiting for a slot (for tests and progress output). */
  get waiting(): number {
    return this.queue.length;
  }

  private hasConcurrency(keys: string[]): boolean {
    return keys.every((key) => (this.inFlight.get(key) ?? 0) < (this.caps.get(key) ?? Infinity));
  }

  private grant(waiter: Waiter, now: number): Permit {
    const slots = waiter.buckets.map((bucket) => bucket.take(now));
    for (const key of waiter.concurrencyKeys) this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        const end = this.clock.now();
        for (const slot of slots) slot.end = end;
        for (const key of waiter.concurrencyKeys) this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
        this.pump();
      },
    };
  }

  private pump(): void {
    const now = this.clock.now();
    let nextCheck = Infinity;
    for (let i = 0; i < this.queue.length; ) {
      const waiter = this.queue[i]!;
      if (!this.hasConcurrency(waiter.concurrencyKeys)) {
        i++; // woken again by a release
        continue;
      }
      const at = Math.max(now, ...waiter.buckets.map((bucket) => bucket.availableAt(now)));
      if (at <= now) {
        this.queue.splice(i, 1);
        waiter.resolve(this.grant(waiter, now));
      } else {
        nextCheck = Math.min(nextCheck, at);
        i++;
      }
    }
    this.schedule(nextCheck, now);
  }

  private schedule(at: number, now: number): void {
    if (at === Infinity || at >= this.timerAt) {
      if (at === Infinity && this.queue.length === 0 && this.timer !== undefined) this.cancelTimer();
      return;
    }
    this.cancelTimer();
    this.timerAt = at;
    // Timers may fire a hair early; pump re-checks and reschedules.
    this.timer = this.clock.setTimer(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.pump();
      },
      Math.max(1, Math.ceil(at - now)),
    );
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }
}

/**
 * `sources.<id>.rate_limit` in scorecard.yml: per bucket, `max` requests per `per_seconds`
 * (e.g. `default: { max: 190, per_seconds: 10 }` for a HubSpot Professional private app).
 */
export const rateLimitSettingsSchema = z.record(
  z.string().regex(/^[a-z0-9_]+$/, 'a bucket name like default or search'),
  z.object({ max: z.number().int().positive(), per_seconds: z.number().positive() }).strict(),
);
export type RateLimitSettings = z.output<typeof rateLimitSettingsSchema>;

/** The source's documented limits, overridden per bucket from config; unknown bucket names are an error, not ignored. */
export function limitsFromSettings<L extends Limits>(defaults: L, settings: RateLimitSettings | undefined): L {
  const limits: Record<string, RateLimit> = { ...defaults };
  for (const [name, override] of Object.entries(settings ?? {})) {
    const base = limits[name];
    if (!base) throw new RangeError(`rate_limit.${name}: unknown bucket (known: ${Object.keys(defaults).join(', ')})`);
    limits[name] = { ...base, max: override.max, perMs: Math.round(override.per_seconds * 1000) };
  }
  return limits as L;
}
