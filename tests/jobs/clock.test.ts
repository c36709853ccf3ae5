import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { makeClock } from '../../src/config/now.js';
import { loadEnv } from '../../src/config/env.js';
import { ConfigError } from '../../src/config/errors.js';
import { clockCronScheduler } from '../../src/jobs/cron-tasks.js';

/**
 * The running clock (SCORECARD_CLOCK_RATE) and the timer loop that fires cron expressions on it. Vitest's fake timers
 * stand in for real time (Date.now and setTimeout), so a simulated day passes in no real time at all.
 */

const TZ = 'America/Chicago';
/** Monday 23 Nov 2026, 05:50 in Chicago (CST, UTC−6). */
const START = new Date('2026-11-23T11:50:00Z');
const REAL_START = new Date('2026-12-07T04:00:00Z');
const RATE = 600;
const DAY_MS = 86_400_000;

describe('the clock', () => {
  it('is real, pinned, or running at a rate from a shared real instant', () => {
    vi.useFakeTimers({ now: REAL_START, toFake: ['Date'] });
    try {
      expect(makeClock({})().getTime()).toBe(REAL_START.getTime());
      const pinned = makeClock({ start: START });
      vi.advanceTimersByTime(10_000);
      expect(pinned()).toEqual(START);
      // Two replicas started 5 s apart with the same startedAt read the same time.
      const first = makeClock({ start: START, rate: RATE, startedAt: REAL_START });
      vi.advanceTimersByTime(5_000);
      const second = makeClock({ start: START, rate: RATE, startedAt: REAL_START });
      expect(first()).toEqual(second());
      expect(first().getTime()).toBe(START.getTime() + 15_000 * RATE);
      // Before startedAt it reads start.
      const later = makeClock({ start: START, rate: RATE, startedAt: new Date(Date.now() + 60_000) });
      expect(later()).toEqual(START);
      // Without startedAt it starts now.
      const own = makeClock({ start: START, rate: 2 });
      vi.advanceTimersByTime(1_000);
      expect(own().getTime()).toBe(START.getTime() + 2_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is validated in the environment', () => {
    const env = loadEnv({ SCORECARD_CLOCK_RATE: '720', SCORECARD_CLOCK_STARTED: '2026-12-07T04:00:00Z' });
    expect(env.SCORECARD_CLOCK_RATE).toBe(720);
    expect(env.SCORECARD_CLOCK_STARTED).toEqual(REAL_START);
    expect(loadEnv({}).SCORECARD_CLOCK_RATE).toBeUndefined();
    for (const bad of [{ SCORECARD_CLOCK_RATE: '0' }, { SCORECARD_CLOCK_RATE: 'fast' }, { SCORECARD_CLOCK_STARTED: 'tomorrow' }]) {
      expect(() => loadEnv(bad), JSON.stringify(bad)).toThrow(ConfigError);
    }
  });
});

describe('cron on a running clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: REAL_START, toFake: ['Date', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires each expression once per fire time of a simulated day, with that fire time', () => {
    const now = makeClock({ start: START, rate: RATE, startedAt: REAL_START });
    const schedule = clockCronScheduler(now, RATE);
    const fired: Record<string, Date[]> = { refresh: [], cash: [], weekly: [], sweep: [] };
    const tasks = [
      schedule('0 6 * * *', (at) => fired.refresh!.push(at!), { timezone: TZ, name: 'refresh' }),
      schedule('30 8 * * 1-5', (at) => fired.cash!.push(at!), { timezone: TZ, name: 'cash' }),
      schedule('0 8 * * 1', (at) => fired.weekly!.push(at!), { timezone: TZ, name: 'weekly' }),
      schedule('*/2 * * * *', (at) => fired.sweep!.push(at!), { timezone: TZ, name: 'sweep' }),
    ];
    // One simulated day: 144 real seconds at 600×.
    vi.advanceTimersByTime(DAY_MS / RATE);
    expect(fired.refresh).toEqual([new Date('2026-11-23T12:00:00Z')]);
    expect(fired.cash).toEqual([new Date('2026-11-23T14:30:00Z')]);
    expect(fired.weekly).toEqual([new Date('2026-11-23T14:00:00Z')]);
    // 05:52 … 05:48 the next day: every even minute of the day, each once and in order.
    expect(fired.sweep).toHaveLength(720);
    expect(fired.sweep![0]).toEqual(new Date('2026-11-23T11:52:00Z'));
    expect(fired.sweep!.every((at, i) => i === 0 || at.getTime() - fired.sweep![i - 1]!.getTime() === 120_000)).toBe(true);
    // Each fire came once the clock had reached its time, not before.
    for (const task of tasks) void task.stop();
    vi.advanceTimersByTime(DAY_MS / RATE);
    expect(fired.refresh).toHaveLength(1);
    expect(fired.sweep).toHaveLength(720);
  });

  it('fires the next time after a pause the timers slept through, not every one missed', () => {
    const now = makeClock({ start: START, rate: RATE, startedAt: REAL_START });
    const fired: Date[] = [];
    const task = clockCronScheduler(now, RATE)('*/2 * * * *', (at) => fired.push(at!), { timezone: TZ, name: 'sweep' });
    // The process stalls: the clock moves 10 simulated minutes on while the timer due at 05:52 has not run yet.
    vi.setSystemTime(REAL_START.getTime() + (10 * 60_000) / RATE);
    // It runs (200 ms later, at 06:02): one late fire for 05:52, none for the five slots slept through.
    vi.advanceTimersToNextTimer();
    expect(fired).toEqual([new Date('2026-11-23T11:52:00Z')]);
    vi.advanceTimersByTime((4 * 60_000) / RATE);
    expect(fired.map((at) => at.toISOString())).toEqual([
      '2026-11-23T11:52:00.000Z',
      '2026-11-23T12:04:00.000Z',
      '2026-11-23T12:06:00.000Z',
    ]);
    void task.stop();
  });
});
