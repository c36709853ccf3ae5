import type { LocalDay } from '../../metrics/types.js';
import { earlierDay, localDayOf } from '../../metrics/periods.js';
import type { Collected, CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { createHubspotClient, type HubspotClient, type HubspotDeps } from './client.js';
import { dayIndex, splitIntoWindows, type Window } from './map.js';
import { buildPlan, type MetricPlan, type RunPlan, type StockPlan } from './plan.js';
import type { HubspotQuery, HubspotSettings } from './schemas.js';
import { searchWindow, type StopSignal } from './search.js';

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
  if (plan.flows.length === 0) return;

  const windows = splitIntoWindows(request.from, to, settings.window_days, tz);
  const stop: StopSignal = { stopped: false };
  try {
    yield* inOrder(windows, WINDOW_LOOKAHEAD, (window) => collectWindow(client, plan, window, stop));
  } finally {
    stop.stopped = true;
  }
}

interface Totals {
  value: Float64Array;
  denominator: Float64Array;
}

async function collectWindow(client: HubspotClient, plan: RunPlan, window: Window, stop: StopSignal): Promise<CollectedValue[]> {
  const totals = new Map<MetricPlan, Totals>();
  for (const flow of plan.flows) {
    totals.set(flow, { value: new Float64Array(window.days.length), denominator: new Float64Array(window.days.length) });
  }
  const start = window.boundaries[0]!;
  const end = window.boundaries[window.boundaries.length - 1]!;
  await Promise.all(
    plan.searches.map((spec) =>
      searchWindow(
        client,
        spec,
        start,
        end,
        (record) => {
          const day = dayIndex(window.boundaries, record.at);
          if (day < 0) return;
          for (const consumer of spec.consumers) {
            if (consumer.owners !== 'all' && (record.ownerId === undefined || !consumer.owners.has(record.ownerId))) continue;
            const amount = consumer.measure(record);
            if (amount === undefined) continue;
            const total = totals.get(consumer.metric)!;
            total.value[day]! += amount;
            total.denominator[day]! += 1;
          }
        },
        stop,
      ),
    ),
  );
  const values: CollectedValue[] = [];
  for (const flow of plan.flows) {
    const total = totals.get(flow)!;
    for (const [i, day] of window.days.entries()) values.push(dailyValue(flow, day, total.value[i]!, total.denominator[i]!));
  }
  return values;
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
    const page = await client.search('tickets', {
      filterGroups: [{ filters: [{ propertyName: 'hs_pipeline_stage', operator: 'IN', values: [...stock.stageIds].sort() }] }],
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
