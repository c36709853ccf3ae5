import type { Config, Metric } from '../../config/schema.js';
import type { LocalDay } from '../../metrics/types.js';
import { metricsOf } from '../../metrics/catalog.js';
import { addDays, dayStart, daysInRange, lastCompletedWeek, localDayOf, trailingWeeks } from '../../metrics/periods.js';
import type { Store } from '../../store/db.js';
import { upsertDailyValues } from '../../store/daily-values.js';
import { addManualEntry } from '../../store/manual-entries.js';
import { upsertQuarterDeals } from '../../store/quarter-deals.js';
import { sampleQuarterDeals } from './quarter-deals.js';
import type { NewDailyValue } from '../../store/types.js';
import { sampleValues } from './index.js';
import { sampleSeries, type SamplePlan } from './generate.js';
import type { SourceContext } from '../source.js';

export interface DemoOptions {
  weeks?: number;
  seed?: number;
  /** The group whose metrics lose one week of data (a visible gap in the trend). */
  gapGroup?: string;
  /** The source that stopped answering `staleDays` ago (its figures show stale, with their age). */
  staleSource?: string;
  staleDays?: number;
}

export interface DemoSummary {
  from: LocalDay;
  to: LocalDay;
  values: number;
  entries: number;
  gapWeek: string | null;
  staleSource: string | null;
  staleDays: number;
}

/** When the sample pretends a day's figures were fetched: the next morning at 06:00, or "now" for today's. */
function fetchedAt(day: LocalDay, timezone: string, now: Date): string {
  const morningAfter = new Date(dayStart(addDays(day, 1), timezone).getTime() + 6 * 3_600_000);
  return (morningAfter < now ? morningAfter : now).toISOString();
}

/**
 * Fills a store with `weeks` of deterministic history for the whole catalog, up to "now": source-fed metrics as daily
 * snapshots, manual metrics as real manual entries (with audit rows), one week missing for one group, one source stale.
 */
export async function seedDemo(store: Store, config: Config, ctx: SourceContext, opts: DemoOptions = {}): Promise<DemoSummary> {
  const { now } = ctx;
  const tz = config.org.timezone;
  const periods = { timezone: tz, weekStart: config.org.week_start };
  const weeks = opts.weeks ?? 26;
  const lastWeek = lastCompletedWeek(now, periods);
  const from = trailingWeeks(lastWeek, weeks, periods)[0]!.start;
  const today = localDayOf(now, tz);
  const metrics = metricsOf(config);

  const gapGroup = config.groups.find((g) => g.id === (opts.gapGroup ?? 'warm_250'));
  const gapWeek = gapGroup ? trailingWeeks(lastWeek, 5, periods)[0]! : null;
  const plan: SamplePlan = {
    seed: opts.seed ?? 47,
    missingWeek: gapWeek && gapGroup ? { start: gapWeek.start, end: gapWeek.end, metricIds: new Set(gapGroup.metrics) } : null,
  };
  const staleSource = metrics.some((m) => m.source === (opts.staleSource ?? 'bill')) ? (opts.staleSource ?? 'bill') : null;
  // Its last snapshot is the day before `staleDays` ago, fetched (as every day) the next morning.
  const staleDays = opts.staleDays ?? 3;
  const staleFrom = addDays(today, -staleDays);

  const fed = metrics.filter((m) => m.source !== 'manual' && m.source !== 'derived');
  let values = 0;
  for await (const batch of sampleValues(plan, fed, from, today)) {
    const rows: NewDailyValue[] = [];
    for (const v of batch) {
      const metric = config.metrics[v.metricId]!;
      if (metric.source === staleSource && v.day >= staleFrom) continue;
      rows.push({
        metric_id: v.metricId,
        day: v.day,
        value: v.value,
        numerator: v.numerator ?? null,
        denominator: v.denominator ?? null,
        source: 'sample',
        fetched_at: fetchedAt(v.day, tz, now),
        warnings: null,
      });
    }
    values += await upsertDailyValues(store, rows);
  }

  // The quarter deals summary: one snapshot a day, taken by the morning refresh, wherever HubSpot feeds the catalog.
  if (metrics.some((m) => m.source === 'hubspot')) {
    const snapshots = daysInRange(from, addDays(today, 1)).map((day) => {
      const morning = new Date(dayStart(day, tz).getTime() + 6 * 3_600_000);
      return sampleQuarterDeals(plan.seed, day, (morning < now ? morning : now).toISOString());
    });
    await upsertQuarterDeals(store, ...snapshots);
  }

  const entries = await seedManualEntries(
    store,
    plan,
    metrics.filter((m) => m.source === 'manual'),
    from,
    today,
    tz,
    now,
  );
  return { from, to: today, values, entries, gapWeek: gapWeek?.label ?? null, staleSource, staleDays };
}

async function seedManualEntries(store: Store, plan: SamplePlan, metrics: Metric[], from: LocalDay, to: LocalDay, tz: string, now: Date) {
  let entries = 0;
  for (const metric of metrics) {
    const user = metric.owner ?? 'U0DEMO';
    for (const v of sampleSeries(plan, metric, from, to)) {
      if (v.value <= 0) continue;
      const at = new Date(dayStart(v.day, tz).getTime() + 17 * 3_600_000);
      const { created } = await addManualEntry(
        store,
        {
          metricId: metric.id,
          day: v.day,
          value: v.value,
          userId: user,
          enteredBy: user,
          note: 'sample entry',
          idempotencyKey: `demo:${metric.id}:${v.day}`,
        },
        at < now ? at : now,
      );
      if (created) entries++;
    }
  }
  return entries;
}
