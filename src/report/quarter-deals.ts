import type { Metric } from '../config/schema.js';
import { metricsOf } from '../metrics/catalog.js';
import type { EvalContext } from '../metrics/context.js';
import { formatAge, formatValue } from '../metrics/format.js';
import { addDays, dayStart, earlierDay, quarterOf } from '../metrics/periods.js';
import type { LocalDay, Quarter, Week } from '../metrics/types.js';
import type { QuarterDealsSnapshot } from '../store/quarter-deals.js';

/**
 * The quarter deals summary under the weekly scorecard: won, lost, open and total deals of the quarter holding the
 * week shown, from the newest daily snapshot taken before the week ended (a past quarter shows its last snapshot).
 * Pure: the snapshot in, the view out. Amounts follow the access rules of the deal metrics (MRR closed) when those
 * are marked sensitive.
 */

export interface QuarterDealsFigure {
  count: number;
  /** Company currency; null when this viewer may not see deal amounts. */
  amount: number | null;
  /** "$512.3K", or "—" when hidden. */
  amountText: string;
}

export interface QuarterDeals {
  /** `2026-Q4`: the quarter holding the week's first day (as the quarter-to-date average counts it). */
  quarter: string;
  start: LocalDay;
  /** Last day of the quarter, inclusive. */
  end: LocalDay;
  timezone: string;
  /** `no_snapshot`: HubSpot is configured but the summary was never collected for this quarter by then. */
  status: 'current' | 'stale' | 'no_snapshot';
  /** The local day the snapshot was taken, and when it was fetched (ISO). */
  snapshotDay: LocalDay | null;
  asOf: string | null;
  /** Hours between the fetch and the week's end (or now, for the week in progress). */
  ageHours: number | null;
  /** "18 h", for people. */
  ageText: string | null;
  won: QuarterDealsFigure | null;
  lost: QuarterDealsFigure | null;
  open: QuarterDealsFigure | null;
  total: QuarterDealsFigure | null;
  amountsHidden: boolean;
  /** The sensitive deal metrics whose access rules the amounts follow (empty when amounts are open to all). */
  restrictedBy: string[];
  /** What the figures mean, shown under the summary. */
  definition: string;
  warnings: string[];
}

/** The summary exists when the HubSpot source is connected (some HubSpot metric is) and not turned off. */
export function quarterDealsConfigured(ctx: EvalContext): boolean {
  const settings = ctx.config.sources.hubspot as { quarter_deals?: unknown } | undefined;
  if (settings?.quarter_deals === false) return false;
  return metricsOf(ctx.config).some((metric) => metric.source === 'hubspot' && ctx.isConnected(metric));
}

/** The quarter a week's summary reports, and the exclusive day bound of the snapshot to read. */
export function quarterDealsWindow(week: Week): { quarter: Quarter; beforeDay: LocalDay } {
  const quarter = quarterOf(week.start);
  return { quarter, beforeDay: earlierDay(week.end, quarter.end) };
}

function isDealMetric(metric: Metric): boolean {
  const query = metric.query as { object?: unknown } | undefined;
  return metric.source === 'hubspot' && query?.object === 'deals';
}

export function quarterDealsDefinition(quarter: Quarter, timezone: string): string {
  return (
    `Deals with a close date in ${quarter.label} (${quarter.start} to ${addDays(quarter.end, -1)}, ${timezone}), every deal pipeline. ` +
    'Won: in a closed-won stage. Lost: in any other closed stage. Open: not closed yet as of the snapshot, ' +
    'expected to close this quarter (overdue ones included). Total = won + lost + open. ' +
    'Amounts: the deal amount in the company currency.'
  );
}

export function buildQuarterDeals(week: Week, snapshot: QuarterDealsSnapshot | undefined, ctx: EvalContext): QuarterDeals {
  const timezone = ctx.periods.timezone;
  const { quarter } = quarterDealsWindow(week);
  const restrictedBy = metricsOf(ctx.config)
    .filter((m) => isDealMetric(m) && m.sensitive)
    .map((m) => m.id);
  const base = {
    quarter: quarter.label,
    start: quarter.start,
    end: addDays(quarter.end, -1),
    timezone,
    amountsHidden: false,
    restrictedBy,
    definition: quarterDealsDefinition(quarter, timezone),
  };
  if (!snapshot) {
    const none = { snapshotDay: null, asOf: null, ageHours: null, ageText: null, won: null, lost: null, open: null, total: null };
    return { ...base, status: 'no_snapshot', ...none, warnings: [] };
  }
  // A past week is judged as it stood at its end (or the quarter's, for a week running into the next quarter).
  const reference = Math.min(ctx.now.getTime(), Date.parse(week.endAt), dayStart(quarter.end, timezone).getTime());
  const ageHours = Math.max(0, (reference - Date.parse(snapshot.fetched_at)) / 3_600_000);
  const stale = ageHours > ctx.config.defaults.freshness_hours;
  const figure = (count: number, amount: number): QuarterDealsFigure => ({ count, amount, amountText: formatValue(amount, 'currency') });
  const s = snapshot;
  return {
    ...base,
    status: stale ? 'stale' : 'current',
    snapshotDay: s.day,
    asOf: s.fetched_at,
    ageHours: Math.round(ageHours * 10) / 10,
    ageText: formatAge(ageHours),
    won: figure(s.won_count, s.won_amount),
    lost: figure(s.lost_count, s.lost_amount),
    open: figure(s.open_count, s.open_amount),
    total: figure(s.won_count + s.lost_count + s.open_count, round2(s.won_amount + s.lost_amount + s.open_amount)),
    warnings: s.warnings,
  };
}

/** Sums of cents stored as units: keep the total exact to the cent. */
function round2(amount: number): number {
  return Math.round(amount * 100) / 100;
}

/** The summary as one person may see it: amounts hidden unless they may see every sensitive deal metric. */
export function visibleQuarterDeals(view: QuarterDeals, canSee: (metricId: string) => boolean): QuarterDeals {
  if (view.amountsHidden || view.restrictedBy.every(canSee)) return view;
  const hide = (f: QuarterDealsFigure | null): QuarterDealsFigure | null => (f ? { count: f.count, amount: null, amountText: '—' } : null);
  return { ...view, amountsHidden: true, won: hide(view.won), lost: hide(view.lost), open: hide(view.open), total: hide(view.total) };
}
