import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { z } from 'zod';
import { configSchema, type Config } from '../../src/config/schema.js';
import { SourceError } from '../../src/integrations/errors.js';
import {
  closeInterruptedRuns,
  formatRefreshSummary,
  refresh,
  refreshFooter,
  type RefreshDeps,
  type RefreshSummary,
} from '../../src/integrations/refresh.js';
import type { CollectRequest, Source } from '../../src/integrations/source.js';
import { getDailyValues } from '../../src/store/daily-values.js';
import { getSourceHealth, lastSourceRuns, startSourceRun } from '../../src/store/source-health.js';
import type { Store } from '../../src/store/db.js';
import { storeKinds, useTempStore } from '../helpers/tmp-store.js';

const SECRET = 'beta-secret-token-7f3a9c';
// 03:00 UTC is still Sunday 15 November in New York: the window must end on the org's local day.
const NOW = new Date('2026-11-16T03:00:00Z');
const TODAY = '2026-11-15';

function metric(name: string, source: string) {
  return { name, unit: 'count', aggregate: 'sum', source, definition: 'd', why: 'w', calculation: 'c' } as const;
}

const config: Config = configSchema.parse({
  org: { name: 'Acme', timezone: 'America/New_York' },
  groups: [{ id: 'all', name: 'All', metrics: ['dials', 'meetings', 'tickets', 'coi'] }],
  metrics: {
    dials: metric('Dials', 'alpha'),
    meetings: metric('Meetings', 'alpha'),
    tickets: metric('Open tickets', 'beta'),
    coi: metric('COI meetings', 'manual'),
  },
});

/** Yields 10 × (day index) for every metric and day, two batches, counting one call per batch. */
function alphaSource(seen: CollectRequest[] = []): Source {
  return {
    id: 'alpha',
    name: 'Alpha CRM',
    envVars: ['ALPHA_TOKEN'],
    settingsSchema: z.object({}),
    querySchema: z.object({}),
    configured: (env) => Boolean(env.ALPHA_TOKEN),
    async *collect(ctx, request) {
      seen.push(request);
      const days: string[] = [];
      for (let d = new Date(`${request.from}T00:00:00Z`); d.toISOString().slice(0, 10) <= request.to; d.setUTCDate(d.getUTCDate() + 1)) {
        days.push(d.toISOString().slice(0, 10));
      }
      const half = Math.ceil(days.length / 2);
      for (const chunk of [days.slice(0, half), days.slice(half)]) {
        ctx.stats.calls++;
        yield chunk.flatMap((day, i) => request.metrics.map((m) => ({ metricId: m.id, day, value: 10 * (i + 1) })));
      }
    },
    check: async () => ({ ok: true, detail: 'ok' }),
  };
}

/** Writes today's open tickets while healthy; while failing, throws a SourceError whose text carries the token. */
function betaSource(state: { failing: boolean; value: number }): Source {
  return {
    id: 'beta',
    name: 'Beta Desk',
    envVars: ['BETA_TOKEN'],
    settingsSchema: z.object({}),
    querySchema: z.object({}),
    configured: (env) => Boolean(env.BETA_TOKEN),
    async *collect(ctx, request) {
      ctx.stats.calls++;
      if (state.failing) {
        ctx.stats.rateLimited++;
        throw new SourceError('unavailable', 'beta', `GET https://desk.example/api?token=${SECRET} → 503 (${SECRET})`);
      }
      yield request.metrics.map((m) => ({ metricId: m.id, day: request.to, value: state.value, warnings: ['queue paused'] }));
    },
    check: async () => ({ ok: true, detail: 'ok' }),
  };
}

const notConfigured: Source = {
  ...alphaSource(),
  id: 'gamma',
  name: 'Gamma',
  envVars: ['GAMMA_KEY'],
  configured: () => false,
};

describe.each(storeKinds())('refresh (%s)', (kind) => {
  const temp = useTempStore(kind);
  let store: Store;
  let logLines: string[];
  let alerts: string[];
  let beta: { failing: boolean; value: number };

  function deps(overrides: Partial<RefreshDeps> = {}): RefreshDeps {
    const stream = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    return {
      store,
      config,
      env: { ALPHA_TOKEN: 'alpha-token-value', BETA_TOKEN: SECRET },
      logger: pino({ level: 'debug' }, stream),
      now: NOW,
      sources: [alphaSource(), betaSource(beta), notConfigured],
      notify: async (text) => {
        alerts.push(text);
      },
      ...overrides,
    };
  }

  beforeEach(async () => {
    store = temp.store;
    logLines = [];
    alerts = [];
    beta = { failing: false, value: 42 };
  });

  afterEach(async () => {});

  describe('refresh', () => {
    it('collects the trailing window up to the local today, concurrently, recording each run', async () => {
      const seen: CollectRequest[] = [];
      beta.failing = true;
      const progress: { source: string; day: string; done: number; total: number }[] = [];
      const summary = await refresh(deps({ sources: [alphaSource(seen), betaSource(beta), notConfigured] }), {
        onProgress: (p) => progress.push(p),
      });

      expect(summary.from).toBe('2026-11-09');
      expect(summary.to).toBe(TODAY);
      expect(summary.ok).toBe(false);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.metrics.map((m) => m.id)).toEqual(['dials', 'meetings']);

      const bySource = Object.fromEntries(summary.results.map((r) => [r.source, r]));
      expect(bySource.alpha).toMatchObject({ status: 'ok', calls: 2, rateLimited: 0, valuesWritten: 14 });
      expect(bySource.beta).toMatchObject({ status: 'failed', calls: 1, rateLimited: 1, valuesWritten: 0, errorClass: 'unavailable' });
      expect(bySource.gamma).toMatchObject({ status: 'not_configured', calls: 0, detail: 'set GAMMA_KEY' });
      expect(progress.map((p) => [p.source, p.day, p.done, p.total])).toEqual([
        ['alpha', '2026-11-12', 4, 7],
        ['alpha', TODAY, 7, 7],
      ]);

      const dials = await getDailyValues(store, ['dials'], '2026-11-01', '2026-12-01');
      expect(dials.map((row) => row.day)).toEqual([
        '2026-11-09',
        '2026-11-10',
        '2026-11-11',
        '2026-11-12',
        '2026-11-13',
        '2026-11-14',
        TODAY,
      ]);
      expect(dials[0]).toMatchObject({ value: 10, source: 'alpha', fetched_at: NOW.toISOString(), warnings: null });

      const runs = await lastSourceRuns(store, 10);
      expect(runs.map((r) => [r.source, r.status, r.calls, r.rate_limited, r.values_written, r.from_day, r.to_day]).sort()).toEqual([
        ['alpha', 'ok', 2, 0, 14, '2026-11-09', TODAY],
        ['beta', 'failed', 1, 1, 0, '2026-11-09', TODAY],
      ]);
      const betaRun = runs.find((r) => r.source === 'beta')!;
      expect(betaRun.error_class).toBe('unavailable');
      expect(betaRun.error).toContain('token=[REDACTED]');
      expect(betaRun.duration_ms).not.toBeNull();
    });

    it('keeps secrets out of results, stored rows, alerts and logs', async () => {
      beta.failing = true;
      let summary: RefreshSummary | undefined;
      for (let i = 0; i < 3; i++) summary = await refresh(deps(), { sourceIds: ['beta'] });
      const health = await getSourceHealth(store);
      const runs = await lastSourceRuns(store, 10);
      const everything = [JSON.stringify(summary), JSON.stringify(health), JSON.stringify(runs), ...alerts, ...logLines].join('\n');
      expect(alerts).toHaveLength(1);
      expect(logLines.length).toBeGreaterThan(0);
      expect(everything).not.toContain(SECRET);
    });

    it('alerts once after three consecutive failures and sends one recovery message', async () => {
      beta.failing = true;
      for (let run = 1; run <= 2; run++) await refresh(deps(), { sourceIds: ['beta'] });
      expect(alerts).toEqual([]);
      expect((await getSourceHealth(store))[0]).toMatchObject({ source: 'beta', consecutive_failures: 2, last_error_class: 'unavailable' });

      await refresh(deps(), { sourceIds: ['beta'] });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toContain('Beta Desk');
      expect(alerts[0]).toContain('(unavailable)');
      expect(alerts[0]).toContain('Open tickets');
      expect(alerts[0]).toContain('show their last good values, marked stale');

      await refresh(deps(), { sourceIds: ['beta'] });
      await refresh(deps(), { sourceIds: ['beta'] });
      expect(alerts).toHaveLength(1);
      expect((await getSourceHealth(store))[0]!.consecutive_failures).toBe(5);

      beta.failing = false;
      await refresh(deps(), { sourceIds: ['beta'] });
      await refresh(deps(), { sourceIds: ['beta'] });
      expect(alerts).toHaveLength(2);
      expect(alerts[1]).toContain('Beta Desk* is refreshing again');
      expect((await getSourceHealth(store))[0]).toMatchObject({ consecutive_failures: 0, alerted_at: null });
    });

    it('honours alertAfterFailures and sends nothing (nor marks) without notify', async () => {
      beta.failing = true;
      await refresh(deps({ notify: undefined }), { sourceIds: ['beta'], alertAfterFailures: 1 });
      expect((await getSourceHealth(store))[0]!.alerted_at).toBeNull();
      await refresh(deps(), { sourceIds: ['beta'], alertAfterFailures: 1 });
      expect(alerts).toHaveLength(1);
    });

    it('leaves the last good values untouched while a source fails', async () => {
      await refresh(deps(), { sourceIds: ['beta'] });
      const before = await getDailyValues(store, ['tickets'], TODAY, '2026-11-16');
      expect(before).toEqual([
        expect.objectContaining({ value: 42, fetched_at: NOW.toISOString(), warnings: JSON.stringify(['queue paused']) }),
      ]);

      beta.failing = true;
      beta.value = 0;
      const later = new Date(NOW.getTime() + 3_600_000);
      const summary = await refresh(deps({ now: later }), { sourceIds: ['beta'] });
      expect(summary.results[0]!.status).toBe('failed');
      expect(await getDailyValues(store, ['tickets'], TODAY, '2026-11-16')).toEqual(before);
    });

    it('runs only the named sources and the given window, and reports unknown ones', async () => {
      const seen: CollectRequest[] = [];
      const summary = await refresh(deps({ sources: [alphaSource(seen), betaSource(beta)] }), {
        sourceIds: ['alpha', 'nope'],
        from: '2026-10-01',
        to: '2026-10-03',
      });
      expect(seen.map((r) => [r.from, r.to])).toEqual([['2026-10-01', '2026-10-03']]);
      expect(summary.results.map((r) => [r.source, r.status, r.valuesWritten])).toEqual([
        ['alpha', 'ok', 6],
        ['nope', 'failed', 0],
      ]);
      expect(summary.results[1]!.error).toBe('unknown source "nope" (known: alpha, beta)');
      expect(await getSourceHealth(store)).toHaveLength(1);
    });

    it('keeps the batches written before a failure and drops values it did not ask for', async () => {
      const flaky: Source = {
        ...alphaSource(),
        async *collect(_ctx, request) {
          yield [
            { metricId: 'dials', day: request.to, value: 7 },
            { metricId: 'tickets', day: request.to, value: 99 },
            { metricId: 'dials', day: '2020-01-01', value: 1 },
          ];
          throw new TypeError('cannot read properties of undefined');
        },
      };
      const summary = await refresh(deps({ sources: [flaky] }), {});
      expect(summary.results[0]).toMatchObject({
        status: 'failed',
        valuesWritten: 1,
        errorClass: 'internal',
        error: 'TypeError: cannot read properties of undefined',
      });
      expect(
        (await getDailyValues(store, ['dials', 'tickets'], '2000-01-01', '2030-01-01')).map((r) => [r.metric_id, r.day, r.value]),
      ).toEqual([['dials', TODAY, 7]]);
      expect(logLines.some((line) => line.includes('dropped a value outside the requested metrics or window'))).toBe(true);
    });

    it('skips a source no metric uses', async () => {
      const summary = await refresh(deps({ config: { ...config, metrics: { coi: config.metrics.coi! } } }), { sourceIds: ['alpha'] });
      expect(summary.results).toEqual([
        expect.objectContaining({ source: 'alpha', status: 'skipped', detail: 'no metric uses this source' }),
      ]);
      expect(summary.ok).toBe(true);
      expect(await lastSourceRuns(store, 5)).toEqual([]);
    });

    it('rejects an impossible window', async () => {
      await expect(refresh(deps(), { from: '2026-11-10', to: '2026-11-01' })).rejects.toThrow('refresh window is empty');
      await expect(refresh(deps(), { from: '2026-02-30' })).rejects.toThrow('refresh --from must be a date');
    });

    it('formats an aligned summary table', async () => {
      beta.failing = true;
      const summary = await refresh(deps(), {});
      const table = formatRefreshSummary({
        ...summary,
        results: summary.results.map((r) => ({ ...r, durationMs: r.status === 'ok' ? 1234 : 56 })),
      }).split('\n');
      expect(table[0]).toBe('source  status          calls  429s  values  time  error');
      expect(table[1]).toBe('alpha   ok                  2     0      14  1.2s');
      expect(table[2]).toMatch(
        /^beta {4}failed {14}1 {5}1 {7}0 {2}0\.1s {2}unavailable: GET https:\/\/desk\.example\/api\?token=\[REDACTED\]/,
      );
      expect(table[3]).toBe('gamma   not configured      0     0       0        set GAMMA_KEY');
      expect(table[4]).toBe('2026-11-09 → 2026-11-15: 1 refreshed, 1 failed, 1 not configured');
    });

    it('says so when no source is configured, claiming no success for the sources it skipped', () => {
      const footer = refreshFooter({
        from: '2026-11-09',
        to: '2026-11-15',
        ok: true,
        results: ['alpha', 'beta'].map((source) => ({
          source,
          status: 'not_configured' as const,
          calls: 0,
          rateLimited: 0,
          valuesWritten: 0,
          durationMs: 0,
        })),
      });
      expect(footer).toContain('nothing refreshed — no source is configured');
      expect(footer).not.toMatch(/without failure|refreshed,/);
    });
  });

  describe('refresh deadline', () => {
    /** Yields nothing and never ends, like a source stuck in a call that never answers and ignores the abort. */
    const hungSource: Source = {
      ...alphaSource(),
      id: 'beta',
      name: 'Beta Desk',
      envVars: ['BETA_TOKEN'],
      configured: () => true,
      async *collect(ctx) {
        ctx.stats.calls++;
        await new Promise<never>(() => undefined);
      },
    };

    it('abandons a hung source at sources.<id>.deadline_seconds as unavailable; the other sources finish normally', async () => {
      const withDeadline: Config = { ...config, sources: { beta: { deadline_seconds: 0.2 } } };
      const summary = await refresh(deps({ config: withDeadline, sources: [alphaSource(), hungSource] }));
      expect(summary.results.map((r) => [r.source, r.status, r.errorClass])).toEqual([
        ['alpha', 'ok', undefined],
        ['beta', 'failed', 'unavailable'],
      ]);
      expect(summary.results[1]!.error).toContain('0.2 s deadline');
      expect((await lastSourceRuns(store, 5)).map((r) => [r.source, r.status])).toEqual(
        expect.arrayContaining([
          ['alpha', 'ok'],
          ['beta', 'failed'],
        ]),
      );
      expect(await getDailyValues(store, ['dials'], '2026-11-09', '2026-11-16')).toHaveLength(7);
    });

    it('closes runs a killed process left running as interrupted, but not a run that may still be live', async () => {
      const dead = await startSourceRun(store, { source: 'beta', from: '2026-11-09', to: TODAY }, new Date(NOW.getTime() - 3 * 60_000));
      const live = await startSourceRun(store, { source: 'alpha', from: '2026-11-09', to: TODAY }, new Date(NOW.getTime() - 10_000));
      expect(await closeInterruptedRuns(store, config, NOW)).toBe(1);
      const runs = await lastSourceRuns(store, 5);
      expect(runs.find((r) => r.id === dead)).toMatchObject({ status: 'failed', error_class: 'interrupted' });
      expect(runs.find((r) => r.id === live)).toMatchObject({ status: 'running' });
    });
  });
});
