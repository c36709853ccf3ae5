import { dayStart, quarterOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { isSourceError } from '../errors.js';
import type { CollectedQuarterDeals, DealsFigure, FailedPart } from '../source.js';
import { QUARTER_DEALS_PART } from '../refresh-parts.js';
import type { HubspotClient } from './client.js';
import { failureOf } from './failures.js';
import { toCents } from './map.js';
import { fetchPipelines } from './pipelines.js';
import type { Pipeline } from './schemas.js';
import { searchWindow, type SearchSpec } from './search.js';

/**
 * The quarter deals summary: one deals search over the current quarter (close date in the quarter, in the org's time
 * zone), every pipeline, every owner, each deal put in one bucket by its stage's metadata — the same rule the MRR
 * metric uses for closed-won:
 * - won: a closed stage with probability 1.0;
 * - lost: any other closed stage (HubSpot's closed-lost has probability 0);
 * - open: a stage that is not closed. Open deals are those *expected to close in the quarter* (their close date is
 *   in it, overdue ones included): the quarter's remaining pipeline, on the same basis as won and lost, so
 *   total = won + lost + open = every deal with a close date in the quarter.
 * Amount: `amount_in_home_currency` (HubSpot's amount in the company currency), else `amount`; summed in cents.
 */

/** Properties read per deal; the close date is added by the search itself. */
const DEAL_PROPERTIES = ['dealstage', 'pipeline', 'amount', 'amount_in_home_currency'];

type Outcome = 'won' | 'lost' | 'open';

/** Stage id → outcome for every stage of every deal pipeline (stage ids are unique across a portal's pipelines). */
export function stageOutcomes(pipelines: readonly Pipeline[]): Map<string, Outcome> {
  const outcomes = new Map<string, Outcome>();
  for (const pipeline of pipelines) {
    for (const stage of pipeline.stages) {
      const closed = String(stage.metadata.isClosed) === 'true';
      outcomes.set(stage.id, !closed ? 'open' : Number(stage.metadata.probability) === 1 ? 'won' : 'lost');
    }
  }
  return outcomes;
}

/**
 * Today's snapshot of the quarter holding `today`, or the part's failure: a failed search (after the client's
 * retries) or a body that does not fit the schema fails the summary alone, and the last good snapshot stays.
 */
export async function collectQuarterDeals(
  client: HubspotClient,
  today: LocalDay,
  timezone: string,
): Promise<CollectedQuarterDeals | FailedPart> {
  try {
    return { quarterDeals: await quarterSnapshot(client, today, timezone) };
  } catch (error) {
    if (!isSourceError(error)) throw error;
    return { part: QUARTER_DEALS_PART, failure: failureOf(error) };
  }
}

async function quarterSnapshot(client: HubspotClient, today: LocalDay, timezone: string): Promise<CollectedQuarterDeals['quarterDeals']> {
  const quarter = quarterOf(today);
  const pipelines = await fetchPipelines(client, 'deals');
  const outcomes = stageOutcomes(pipelines);
  const figures: Record<Outcome, { count: number; cents: number }> = {
    won: { count: 0, cents: 0 },
    lost: { count: 0, cents: 0 },
    open: { count: 0, cents: 0 },
  };
  const unknownStages = new Map<string, number>();
  const spec: SearchSpec = {
    key: 'deals:quarter',
    objectType: 'deals',
    dateProperty: 'closedate',
    extraFilters: [],
    properties: new Set(DEAL_PROPERTIES),
    owners: 'all',
    // Every deal counts, owned or not: no owner filter at all.
    unassigned: true,
  };
  const start = dayStart(quarter.start, timezone).getTime();
  const end = dayStart(quarter.end, timezone).getTime();
  await searchWindow(
    client,
    spec,
    start,
    end,
    (record) => {
      const stage = record.properties.dealstage ?? '';
      const outcome = outcomes.get(stage);
      if (!outcome) {
        unknownStages.set(stage, (unknownStages.get(stage) ?? 0) + 1);
        return;
      }
      figures[outcome].count += 1;
      figures[outcome].cents += toCents(record.properties.amount_in_home_currency) ?? toCents(record.properties.amount) ?? 0;
    },
    { stopped: false },
  );
  const figure = (outcome: Outcome): DealsFigure => ({ count: figures[outcome].count, amount: figures[outcome].cents / 100 });
  const warnings = [...unknownStages].map(
    ([stage, n]) => `${n} deal${n === 1 ? '' : 's'} in stage "${stage || '(none)'}", which no deal pipeline lists: not counted`,
  );
  if (pipelines.length === 0) warnings.push('HubSpot returned no deal pipelines');
  return {
    quarter: quarter.label,
    day: today,
    won: figure('won'),
    lost: figure('lost'),
    open: figure('open'),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}
