import type { LocalDay } from '../../metrics/types.js';
import { earlierDay, localDayOf } from '../../metrics/periods.js';
import type { Collected, CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { SourceError } from '../errors.js';
import { SOURCE_ID, createHubspotClient, type HubspotClient, type HubspotDeps, type SearchFilter } from './client.js';
import { collectQuarterDeals } from './deals-summary.js';
import { dayIndex, splitIntoWindows, type Window } from './map.js';
import { buildPlan, type MetricPlan, type PlannedSearch, type RunPlan, type StockPlan } from './plan.js';
import { CollectedDays, dayProperties } from './late.js';
import { failMetricsNamedBy, newSearchFailures, takePending, type SearchFailures } from './search-failures.js';
import type { HubspotQuery, HubspotSettings } from './schemas.js';
import { searchWindow, type SearchSpec, type StopSignal } from './search.js';

/**
 * HubSpot collection: for each window of days, one search per object type covering every owner, records
 * bucketed by owner and local day as pages arrive, then one batch of values (0 where nothing happened) for
 * every metric and day of the window. Nothing but per-day totals outlives a page.
 */

/** Windows fetched at once: the next window's searches run while the caller stores the current batch. */
const WINDOW_LOOKAHEAD = 2;

export async function* collectHubspot(
  ctx: SourceRun<HubspotSettings>,
  request: SourceRequest<HubspotQuery>,
  deps: HubspotDeps = {},
): AsyncGenerator<Collected[]> {
  const { settings } = ctx;
  const tz = ctx.config.org.timezone;
  const today = localDayOf(ctx.now, tz);
  // Days after today cannot have happened yet; writing zeros for them would only look like data.
  const to = earlierDay(request.to, today);
  if (request.metrics.length === 0 || request.from > to) return;

  const client = createHubspotClient(ctx, settings, deps);
  const plan = await buildPlan(ctx, client, settings, request.metrics);
  if (plan.failed.length > 0) yield plan.failed;

  if (plan.openTickets.length > 0 && request.from <= today && today <= request.to) {
    yield await collectOpenTickets(client, plan.openTickets, today);
  }
  // Today's quarter deals snapshot (a part, not a metric): its failure fails the summary alone.
  if (settings.quarter_deals && request.from <= today && today <= request.to) yield [await collectQuarterDeals(client, today, tz)];
  if (plan.flows.length === 0) return;

  const windows = splitIntoWindows(request.from, to, settings.window_days, tz);
  const stop: StopSignal = { stopped: false };
  const failures = newSearchFailures();
  try {
    const run: WindowRun = { client, plan, stop, failures, seen: new CollectedDays(tz) };
    for await (const values of inOrder(windows, WINDOW_LOOKAHEAD, (window) => collectWindow(run, window))) {
      // Filtered here, not in the window: a metric failed by a later window's search keeps no value from this run.
      yield [...takePending(failures), ...values.filter((value) => !failures.failedIds.has(value.metricId))];
    }
    // For the modification cursor: a later change to one of these records names the days it was counted on.
    await run.seen.save(ctx);
  } finally {
    stop.stopped = true;
  }
}

interface Totals {
  value: Float64Array;
  denominator: Float64Array;
}

/** What every window of one collect shares. */
interface WindowRun {
  client: HubspotClient;
  plan: RunPlan;
  stop: StopSignal;
  failures: SearchFailures;
  seen: CollectedDays;
}

async function collectWindow(run: WindowRun, window: Window): Promise<CollectedValue[]> {
  const { plan } = run;
  const totals = new Map<MetricPlan, Totals>();
  for (const flow of plan.flows) {
    totals.set(flow, { value: new Float64Array(window.days.length), denominator: new Float64Array(window.days.length) });
  }
  const found = await Promise.all(plan.searches.map((spec) => searchForWindow(run, spec, window)));
  for (const part of found) {
    for (const [flow, total] of part) {
      const into = totals.get(flow)!;
      for (let i = 0; i < window.days.length; i++) {
        into.value[i]! += total.value[i]!;
        into.denominator[i]! += total.denominator[i]!;
      }
    }
  }
  const values: CollectedValue[] = [];
  for (const flow of plan.flows) {
    const total = totals.get(flow)!;
    for (const [i, day] of window.days.entries()) values.push(dailyValue(flow, day, total.value[i]!, total.denominator[i]!));
  }
  return values;
}

/**
 * One search's contributions to the window. A 400 naming a property fails the metrics using it and the search runs
 * again without them (each retry drops at least one metric, or follows a drop made meanwhile, so the loop is bounded).
 */
async function searchForWindow(run: WindowRun, spec: PlannedSearch, window: Window): Promise<Map<MetricPlan, Totals>> {
  const { client, plan, stop, failures } = run;
  const start = window.boundaries[0]!;
  const end = window.boundaries[window.boundaries.length - 1]!;
  const attempts = spec.consumers.length + 2;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const totals = new Map<MetricPlan, Totals>();
    if (spec.consumers.length === 0) return totals;
    // The search's filters as they are now: a drop made by another search mid-paging must not change this one's pages.
    const snapshot: SearchSpec = { ...spec, properties: new Set([...spec.properties, ...dayProperties(spec.objectType)]) };
    try {
      await searchWindow(
        client,
        snapshot,
        start,
        end,
        (record) => {
          const day = dayIndex(window.boundaries, record.at);
          if (day < 0) return;
          run.seen.add(spec.objectType, record.id, record.properties);
          for (const consumer of spec.consumers) {
            if (record.ownerId === undefined ? !consumer.unassigned : consumer.owners !== 'all' && !consumer.owners.has(record.ownerId)) {
              continue;
            }
            const amount = consumer.measure(record);
            if (amount === undefined) continue;
            let total = totals.get(consumer.metric);
            if (!total) {
              total = { value: new Float64Array(window.days.length), denominator: new Float64Array(window.days.length) };
              totals.set(consumer.metric, total);
            }
            total.value[day]! += amount;
            total.denominator[day]! += 1;
          }
        },
        stop,
      );
      return totals;
    } catch (error) {
      if (!failMetricsNamedBy(error, spec, plan.searches, failures)) throw error;
    }
  }
  throw new SourceError('bad_response', SOURCE_ID, `${spec.objectType} search kept failing after its failing metrics were left out`);
}

function dailyValue(flow: MetricPlan, day: LocalDay, amount: number, records: number): CollectedValue {
  const base = { metricId: flow.metric.id, day, ...(flow.warnings.length > 0 ? { warnings: [...flow.warnings] } : {}) };
  switch (flow.kind) {
    case 'count':
      return { ...base, value: amount };
    case 'money':
      return { ...base, value: amount / 100 };
    case 'ratio':
      // Σ hours to first reply ÷ tickets replied; the period average is Σ numerators ÷ Σ denominators.
      return { ...base, value: records > 0 ? amount / records : 0, numerator: amount, denominator: records };
  }
}

/** Open tickets are a stock: today's value is the number of tickets now in an OPEN stage. */
async function collectOpenTickets(client: HubspotClient, stocks: StockPlan[], today: LocalDay): Promise<CollectedValue[]> {
  const values: CollectedValue[] = [];
  for (const stock of stocks) {
    const warnings = stock.warnings.length > 0 ? { warnings: [...stock.warnings] } : {};
    if (stock.stageIds.length === 0) {
      values.push({ metricId: stock.metric.id, day: today, value: 0, ...warnings });
      continue;
    }
    const open: SearchFilter = { propertyName: 'hs_pipeline_stage', operator: 'IN', values: [...stock.stageIds].sort() };
    // Excluded owners' tickets stay out; groups are ORed, so tickets nobody owns are asked for on their own.
    const filterGroups =
      stock.excludedOwners.length > 0
        ? [
            { filters: [open, { propertyName: 'hubspot_owner_id', operator: 'NOT_IN' as const, values: stock.excludedOwners }] },
            { filters: [open, { propertyName: 'hubspot_owner_id', operator: 'NOT_HAS_PROPERTY' as const }] },
          ]
        : [{ filters: [open] }];
    const page = await client.search('tickets', {
      filterGroups,
      sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }],
      properties: ['hs_pipeline_stage'],
      limit: 1,
      after: '0',
    });
    values.push({ metricId: stock.metric.id, day: today, value: page.total, ...warnings });
  }
  return values;
}

/** Runs up to `concurrency` tasks ahead and yields their results in input order. */
async function* inOrder<T, R>(items: readonly T[], concurrency: number, run: (item: T) => Promise<R>): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  let next = 0;
  const startNext = () => {
    const task = run(items[next++]!);
    task.catch(() => undefined); // surfaced when awaited in order; never an unhandled rejection meanwhile
    pending.push(task);
  };
  while (next < items.length && pending.length < concurrency) startNext();
  while (pending.length > 0) {
    const result = await pending.shift()!;
    if (next < items.length) startNext();
    yield result;
  }
}
