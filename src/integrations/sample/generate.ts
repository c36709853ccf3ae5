import type { Metric } from '../../config/schema.js';

/** What the generator reads of a metric: never its query, so any source's metric can be sampled. */
export type SampleMetric = Omit<Metric, 'query'>;
import type { LocalDay } from '../../metrics/types.js';
import { addDays, compareDays } from '../../metrics/periods.js';

/**
 * Deterministic sample data: every value is a pure function of (seed, metric id, day), so two runs with the same
 * `--now` produce byte-identical digests and the generator can stream any range without keeping state.
 */

export interface SampleValue {
  day: LocalDay;
  value: number;
  numerator: number | null;
  denominator: number | null;
}

export interface SamplePlan {
  seed: number;
  /** Local days on which the whole sample pretends the sources were not reachable for these metrics. */
  missingWeek: { start: LocalDay; end: LocalDay; metricIds: ReadonlySet<string> } | null;
}

function hashString(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** mulberry32: tiny, fast, good enough for sample data, and stable across Node versions. */
export function random(seed: number, ...keys: string[]): number {
  let t = (seed ^ hashString(keys.join('|'))) >>> 0;
  t = (t + 0x6d2b79f5) >>> 0;
  let r = Math.imul(t ^ (t >>> 15), 1 | t);
  r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
  return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
}

function weekdayOf(day: LocalDay): number {
  // 0 = Sunday … 6 = Saturday; local days are calendar dates, so UTC arithmetic on them is exact.
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** A per-week performance factor: some weeks beat the goal, some miss it narrowly, a few miss badly. */
function weekFactor(seed: number, metricId: string, day: LocalDay): number {
  const weekIndex = Math.floor(Date.parse(`${day}T00:00:00Z`) / (7 * 86_400_000));
  const r = random(seed, metricId, 'week', String(weekIndex));
  if (r < 0.15) return 0.7; // a bad week
  if (r < 0.4) return 0.93; // narrowly missed: yellow territory
  return 1.02 + r * 0.25;
}

function goalTarget(metric: SampleMetric): number | undefined {
  const goal = metric.goal;
  if (!goal) return undefined;
  if (goal.op === 'between') return ((goal.min ?? 0) + (goal.max ?? 0)) / 2;
  return goal.value;
}

const round = (value: number, places = 0) => {
  const f = 10 ** places;
  return Math.round(value * f) / f;
};

/** A stock that drifts: a random walk summed over days since an anchor, so any day is computable directly. */
function drift(seed: number, metricId: string, day: LocalDay, stepScale: number): number {
  const dayIndex = Math.floor(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
  let level = 0;
  // A 60-day window of steps keeps the walk bounded (mean-reverting) and O(1) per day.
  for (let i = dayIndex - 59; i <= dayIndex; i++) level += (random(seed, metricId, 'step', String(i)) - 0.5) * stepScale;
  return level;
}

export function sampleValue(seed: number, metric: SampleMetric, day: LocalDay): SampleValue {
  const weekday = weekdayOf(day);
  const isWeekend = weekday === 0 || weekday === 6;
  const r = random(seed, metric.id, day);
  const factor = weekFactor(seed, metric.id, day);
  const target = goalTarget(metric);
  const plain = (value: number): SampleValue => ({ day, value, numerator: null, denominator: null });

  if (metric.aggregate === 'ratio') return sampleRatio(seed, metric, day, isWeekend, factor);

  if (metric.aggregate === 'last') {
    switch (metric.unit) {
      case 'currency': {
        const base = target && target > 0 ? target * 1.06 : 25_000;
        return plain(round(base + drift(seed, metric.id, day, base * 0.02), 2));
      }
      case 'days':
        return plain(round(Math.max(0, (target ?? 30) * 1.05 + drift(seed, metric.id, day, 3)), 1));
      default: {
        if (target === 0) return plain(r < 0.75 ? 0 : r < 0.92 ? 1 : 3);
        const base = target ?? 24;
        return plain(Math.max(0, Math.round(base + drift(seed, metric.id, day, Math.max(1, base * 0.15)))));
      }
    }
  }

  // Flows whose goal is zero (SLA breaches, failures): mostly clean weeks, the odd incident.
  if (target === 0) return plain(!isWeekend && r > 0.93 ? 1 : 0);
  // Flows: a weekly goal spread over weekdays, with a little weekend activity.
  const weekly = target && target > 0 ? target : metric.unit === 'currency' ? 2_000 : 20;
  const perWeekday = (weekly * factor) / 5;
  const daily = isWeekend ? perWeekday * 0.05 * r : perWeekday * (0.75 + r * 0.5);
  if (metric.unit === 'currency') return plain(round(daily, 2));
  // Stochastic rounding keeps small weekly goals (1 FTA a week) reachable: 0.2 a day becomes a 1 on some days.
  const whole = Math.floor(daily);
  return plain(whole + (random(seed, metric.id, day, 'round') < daily - whole ? 1 : 0));
}

function sampleRatio(seed: number, metric: SampleMetric, day: LocalDay, isWeekend: boolean, factor: number): SampleValue {
  const r = random(seed, metric.id, day, 'ratio');
  const goal = metric.goal;
  const lowerIsBetter = goal?.op === '<=';
  const target = goalTarget(metric);
  const denominator = Math.max(1, Math.round((isWeekend ? 2 : 9) * (0.7 + r * 0.6)));
  let rate: number;
  if (metric.unit === 'percent') {
    const base = (target ?? 35) / 100;
    rate = Math.min(1, Math.max(0, base * factor + (r - 0.5) * 0.1));
  } else if (metric.unit === 'hours') {
    const base = target ?? 12;
    rate = Math.max(0.2, lowerIsBetter ? base / factor + (r - 0.5) * 2 : base * factor);
  } else if (metric.unit === 'currency') {
    rate = (target ?? 150) * (0.8 + r * 0.4);
  } else {
    rate = (target ?? 1) * factor;
  }
  const numerator = round(rate * denominator, 2);
  const value = metric.unit === 'percent' ? round((100 * numerator) / denominator, 4) : round(numerator / denominator, 4);
  return { day, value, numerator, denominator };
}

/** Every sample value for one metric in `[from, to]`, skipping the planned missing week. */
export function* sampleSeries(plan: SamplePlan, metric: SampleMetric, from: LocalDay, to: LocalDay): Generator<SampleValue> {
  for (let day = from; compareDays(day, to) <= 0; day = addDays(day, 1)) {
    const gap = plan.missingWeek;
    if (gap?.metricIds.has(metric.id) && compareDays(day, gap.start) >= 0 && compareDays(day, gap.end) < 0) continue;
    yield sampleValue(plan.seed, metric, day);
  }
}
