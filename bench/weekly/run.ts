import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config/load.js';
import { configSchema, type Config, type Metric } from '../../src/config/schema.js';
import { metricsOf } from '../../src/metrics/catalog.js';
import { addDays, lastCompletedWeek, trailingWeeks } from '../../src/metrics/periods.js';
import { openStore, type Store } from '../../src/store/db.js';
import { benchPostgres } from '../postgres.js';
import { upsertDailyValues } from '../../src/store/daily-values.js';
import { sampleSeries } from '../../src/integrations/sample/generate.js';
import { weeklyScorecard } from '../../src/report/queries.js';
import { periodSettings } from '../../src/metrics/context.js';

/**
 * Weekly digest cost for a 100-metric catalog over 1 and 5 years of daily values: median time and rows read.
 * Targets: < 50 ms per digest, and 5 years within 1.5× of 1 year (cost follows metrics × weeks shown, not history).
 */

export interface WeeklyBenchResult {
  metrics: number;
  runs: number;
  years: { dialect: 'sqlite' | 'postgres'; years: number; storedRows: number; rowsRead: number; medianMs: number; p95Ms: number }[];
  ratio5to1: number;
  /** Postgres ÷ SQLite median over 5 years; null when no Postgres answered. */
  postgresToSqlite5y: number | null;
}

const NOW = new Date('2026-11-16T14:00:00Z');

/** 100 metrics: the example catalog's non-derived metrics cloned with new ids, in ten groups. */
export function hundredMetricConfig(): Config {
  const base = loadConfig({}).config;
  const templates = metricsOf(base).filter((m) => m.source !== 'derived');
  const metrics: Record<string, unknown> = {};
  const groups: { id: string; name: string; metrics: string[] }[] = Array.from({ length: 10 }, (_, g) => ({
    id: `group_${g}`,
    name: `Group ${g + 1}`,
    metrics: [],
  }));
  for (let i = 0; i < 100; i++) {
    const { id: _id, ...template } = templates[i % templates.length]!;
    const id = `m${String(i).padStart(3, '0')}_${templates[i % templates.length]!.id}`;
    metrics[id] = {
      ...template,
      name: `${template.name} #${i}`,
      aliases: [],
      cadence: ['weekly'],
      source: 'sample',
      query: {},
      sensitive: false,
    };
    groups[i % 10]!.metrics.push(id);
  }
  return configSchema.parse({ ...base, groups, metrics, digests: { cash: [], support: [] } });
}

async function seed(store: Store, config: Config, years: number): Promise<number> {
  const to = addDays(lastCompletedWeek(NOW, periodSettings(config)).end, -1);
  const from = addDays(to, -Math.round(365.25 * years));
  let rows = 0;
  for (const metric of metricsOf(config) as Metric[]) {
    const batch = [...sampleSeries({ seed: 7, missingWeek: null }, metric, from, to)].map((v) => ({
      metric_id: metric.id,
      day: v.day,
      value: v.value,
      numerator: v.numerator,
      denominator: v.denominator,
      source: 'sample',
      fetched_at: NOW.toISOString(),
      warnings: null,
    }));
    rows += await upsertDailyValues(store, batch);
  }
  return rows;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))]!;

export async function runWeeklyBench(runs = 40): Promise<WeeklyBenchResult> {
  const config = hundredMetricConfig();
  const ctx = { config, now: NOW, periods: periodSettings(config), isConnected: () => true };
  const week = lastCompletedWeek(NOW, ctx.periods);
  const dir = mkdtempSync(join(tmpdir(), 'scorecard-bench-'));
  const out: WeeklyBenchResult['years'] = [];
  const gc = (globalThis as { gc?: () => void }).gc;
  const databases: { drop(): Promise<void> }[] = [];
  try {
    const setups = [];
    for (const years of [1, 5]) {
      const store = await openStore(`sqlite:${join(dir, `${years}y.db`)}`);
      setups.push({
        dialect: 'sqlite' as const,
        years,
        store,
        storedRows: await seed(store, config, years),
        rowsRead: 0,
        times: [] as number[],
      });
    }
    for (const years of [1, 5]) {
      const database = await benchPostgres();
      if (!database) break;
      databases.push(database);
      const store = await openStore(database.url);
      setups.push({
        dialect: 'postgres' as const,
        years,
        store,
        storedRows: await seed(store, config, years),
        rowsRead: 0,
        times: [] as number[],
      });
    }
    gc?.();
    for (const s of setups) for (let i = 0; i < 5; i++) await weeklyScorecard(s.store, ctx, week); // warm caches and JIT
    // Interleaved, so every database sees the same machine, heap and JIT state: the ratios compare like with like.
    for (let i = 0; i < runs; i++) {
      // Rotate through recent weeks so no result is cached anywhere but in the database's page cache.
      const w = trailingWeeks(week, 4, ctx.periods)[i % 4]!;
      for (const s of i % 2 ? [...setups].reverse() : setups) {
        const t0 = performance.now();
        const view = await weeklyScorecard(s.store, ctx, w);
        s.times.push(performance.now() - t0);
        s.rowsRead = view.rowsRead;
      }
    }
    for (const s of setups) {
      out.push({
        dialect: s.dialect,
        years: s.years,
        storedRows: s.storedRows,
        rowsRead: s.rowsRead,
        medianMs: median(s.times),
        p95Ms: p95(s.times),
      });
      await s.store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    for (const database of databases) await database.drop();
  }
  const of = (dialect: string, years: number) => out.find((y) => y.dialect === dialect && y.years === years);
  const pg5 = of('postgres', 5);
  return {
    metrics: 100,
    runs,
    years: out,
    ratio5to1: of('sqlite', 5)!.medianMs / of('sqlite', 1)!.medianMs,
    postgresToSqlite5y: pg5 ? pg5.medianMs / of('sqlite', 5)!.medianMs : null,
  };
}

export function formatWeeklyBench(r: WeeklyBenchResult): string {
  const lines = r.years.map(
    (y) =>
      `  ${y.dialect.padEnd(8)} ${y.years} year(s): ${y.storedRows.toLocaleString('en-US')} rows stored, ${y.rowsRead.toLocaleString('en-US')} read per digest, median ${y.medianMs.toFixed(1)} ms, p95 ${y.p95Ms.toFixed(1)} ms`,
  );
  return [
    `Weekly digest, ${r.metrics} metrics, ${r.runs} runs each:`,
    ...lines,
    `  SQLite 5-year ÷ 1-year median: ${r.ratio5to1.toFixed(2)}× (target ≤ 1.5×; target < 50 ms on both)`,
    r.postgresToSqlite5y === null
      ? '  Postgres: no server answered (BENCH_DATABASE_URL), not measured'
      : `  Postgres ÷ SQLite median, 5 years: ${r.postgresToSqlite5y.toFixed(2)}× (target ≤ 2×)`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runWeeklyBench().then((r) => console.log(formatWeeklyBench(r)));
}
