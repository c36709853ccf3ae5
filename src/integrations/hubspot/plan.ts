import type { Metric } from '../../config/schema.js';
import type { FailedMetric, SourceContext, SourceMetric } from '../source.js';
import { businessHoursBetween } from '../support-hours.js';
import type { HubspotClient, SearchFilter } from './client.js';
import { forMetrics } from './failures.js';
import { HOUR_MS, keywordMatcher, parseInstant, toCents, type Measure } from './map.js';
import { countsUnassigned, isOwned, metricOwners, ownerDirectory, ownerRefsFor, resolveOwners, teamRefs } from './owners.js';
import { closedWonStages, fetchPipelines, openTicketStages } from './pipelines.js';
import type { HubspotQuery, HubspotSettings } from './schemas.js';
import type { SearchSpec } from './search.js';
import { CALLS, meetingSearch, NOTES, type SearchKind } from './search-kinds.js';
import { associatedIds, warmContactIds, type EngagementType } from './warm250.js';

/**
 * Turns the run's metrics into the fewest searches: one per object type and date property, shared by every
 * metric and owner that needs it, each metric reading the records it wants through its own `Measure`.
 */

export type MetricKind = 'count' | 'money' | 'ratio';

export interface Consumer {
  metric: MetricPlan;
  owners: Set<string> | 'all';
  /** Counts records with no owner (see `countsUnassigned`). */
  unassigned: boolean;
  /** The properties this metric reads from the search's records, on top of the search's own date and filters. */
  properties: string[];
  measure: Measure;
}

export type PlannedSearch = SearchSpec & { consumers: Consumer[] };

export interface MetricPlan {
  metric: Metric;
  /** count: +1 per record; money: cents; ratio: numerator hours, denominator +1 per record. */
  kind: MetricKind;
  warnings: string[];
}

export interface StockPlan {
  metric: Metric;
  stageIds: string[];
  /** Owner ids whose tickets are left out (`support.excluded_owners`, `sources.hubspot.tickets.excluded_owners`). */
  excludedOwners: string[];
  warnings: string[];
}

export interface RunPlan {
  flows: MetricPlan[];
  searches: PlannedSearch[];
  openTickets: StockPlan[];
  /** Metrics whose own prerequisite failed (a Warm 250 list that is gone, a pipeline read refused); the rest run. */
  failed: FailedMetric[];
}

type Ctx = Pick<SourceContext, 'config' | 'state' | 'now' | 'logger'>;
export async function buildPlan(
  ctx: Ctx,
  client: HubspotClient,
  settings: HubspotSettings,
  metrics: SourceMetric<HubspotQuery>[],
): Promise<RunPlan> {
  const failed: FailedMetric[] = [];
  const isWarm = (query: HubspotQuery) => 'warm250' in query && query.warm250 === true;
  // A Warm 250 metric without a target list fails alone; the rest of HubSpot still refreshes.
  const unset = settings.warm250 ? [] : metrics.filter((m) => isWarm(m.query));
  for (const metric of unset) {
    const failure = {
      errorClass: 'config' as const,
      message: 'query.warm250 needs sources.hubspot.warm250 (list_id or property) in scorecard.yml',
    };
    failed.push({ metricId: metric.id, failure });
  }
  let queries = metrics.filter((m) => !unset.includes(m)).map((metric) => ({ metric, query: metric.query }));
  // support.excluded_owners is shared with the other support sources: only its emails can name HubSpot owners.
  const sharedExclusions = ctx.config.support.excluded_owners.filter((o) => o.includes('@')).map((o) => o.toLowerCase());
  const ticketExclusions = [...settings.tickets.excluded_owners, ...sharedExclusions];

  const emails = new Set<string>();
  for (const { metric, query } of queries) {
    const refs = isOwned(query) ? [...(ownerRefsFor(metric, query, settings) ?? []), ...(teamRefs(settings) ?? [])] : [];
    if (query.object === 'first_response' || query.object === 'open_tickets') refs.push(...ticketExclusions);
    for (const ref of refs) if (ref.includes('@')) emails.add(ref);
  }
  const byEmail = emails.size > 0 ? await ownerDirectory(ctx, client, emails) : new Map<string, string>();

  const using = (test: (query: HubspotQuery) => boolean) => queries.filter((q) => test(q.query)).map((q) => q.metric);
  const dealMetrics = using((q) => q.object === 'deals');
  const won = await forMetrics(dealMetrics, failed, undefined, async () => closedWonStages(await fetchPipelines(client, 'deals')));
  const ticketMetrics = using((q) => q.object === 'open_tickets');
  const ticketPipelines = await forMetrics(ticketMetrics, failed, [], () => fetchPipelines(client, 'tickets'));
  const warm = await forMetrics(using(isWarm), failed, undefined, () => warmSets(client, settings, queries));
  const failedIds = new Set(failed.map((f) => f.metricId));
  queries = queries.filter((q) => !failedIds.has(q.metric.id));

  const searches = new Map<string, PlannedSearch>();
  const addToSearch = (search: SearchKind, properties: string[], consumer: Omit<Consumer, 'properties'>) => {
    let spec = searches.get(search.key);
    if (!spec) {
      spec = {
        ...search,
        extraFilters: search.extraFilters ?? [],
        properties: new Set(),
        owners: new Set(),
        unassigned: false,
        consumers: [],
      };
      searches.set(search.key, spec);
    }
    spec.consumers.push({ ...consumer, properties });
    fitToConsumers(spec);
  };

  const flows: MetricPlan[] = [];
  const openTickets: StockPlan[] = [];
  const isDm = keywordMatcher(settings.dm_note_keywords);
  const connected = new Set(settings.connected_dispositions);

  for (const { metric, query } of queries) {
    if (query.object === 'open_tickets') {
      // Stage ids belong to one pipeline, so the OPEN stages of the chosen pipelines select those pipelines too.
      const excluded = resolveOwners(ticketExclusions, byEmail);
      openTickets.push({ metric, ...openTicketStages(ticketPipelines, query.pipelines), excludedOwners: [...excluded.ids].sort() });
      continue;
    }
    const kind: MetricKind = query.object === 'deals' ? 'money' : query.object === 'first_response' ? 'ratio' : 'count';
    const plan: MetricPlan = { metric, kind, warnings: [] };
    flows.push(plan);
    const owners = isOwned(query) ? metricOwners(metric, query, settings, byEmail, plan.warnings) : 'all';
    // Ownerless objects (MQLs, tickets) count every record.
    const unassigned = isOwned(query) ? countsUnassigned(metric, query, settings, byEmail, owners) : true;
    if (owners !== 'all' && owners.size === 0 && !unassigned) continue; // nobody to count: zeros, with the warnings above
    const onlyWarm = (type: EngagementType, measure: Measure): Measure =>
      'warm250' in query && query.warm250 ? (record) => (warm?.get(type)?.has(record.id) ? measure(record) : undefined) : measure;

    switch (query.object) {
      case 'calls': {
        const outbound = query.outbound_only ?? settings.call_direction_outbound_only;
        const measure: Measure = outbound ? (r) => (r.properties.hs_call_direction === 'OUTBOUND' ? 1 : undefined) : () => 1;
        addToSearch(CALLS, outbound ? ['hs_call_direction'] : [], {
          metric: plan,
          owners,
          unassigned,
          measure: onlyWarm('calls', measure),
        });
        break;
      }
      case 'conversations': {
        // One rule per engagement: a call counts once whether its disposition, its notes or both qualify;
        // a note counts once by id. A call and a note about the same contact on the same day are two
        // engagements and both count.
        const call: Measure = (r) =>
          connected.has(r.properties.hs_call_disposition ?? '') || isDm(r.properties.hs_call_body) ? 1 : undefined;
        const note: Measure = (r) => (isDm(r.properties.hs_note_body) ? 1 : undefined);
        addToSearch(CALLS, ['hs_call_disposition', 'hs_call_body'], { metric: plan, owners, unassigned, measure: onlyWarm('calls', call) });
        addToSearch(NOTES, ['hs_note_body'], { metric: plan, owners, unassigned, measure: onlyWarm('notes', note) });
        break;
      }
      case 'meetings': {
        const measure = onlyWarm('meetings', () => 1);
        addToSearch(meetingSearch(query.by, settings), [], { metric: plan, owners, unassigned, measure });
        break;
      }
      case 'deals': {
        plan.warnings.push(...(won?.warnings ?? []));
        if (!won || won.stageIds.length === 0) break;
        const property = query.property ?? settings.mrr_property;
        const measure: Measure = (r) => toCents(r.properties[property]) ?? toCents(r.properties.amount) ?? 0;
        const wonStages: SearchFilter = { propertyName: 'dealstage', operator: 'IN', values: [...won.stageIds].sort() };
        const search: SearchKind = { key: 'deals:won', objectType: 'deals', dateProperty: 'closedate', extraFilters: [wonStages] };
        addToSearch(search, [property, 'amount'], { metric: plan, owners, unassigned, measure });
        break;
      }
      case 'mqls':
        addToSearch({ key: 'contacts:mql', objectType: 'contacts', dateProperty: settings.mql_date_property }, [], {
          metric: plan,
          owners: 'all',
          unassigned,
          measure: () => 1,
        });
        break;
      case 'first_response': {
        const reply = settings.tickets.first_reply_property;
        const excluded = resolveOwners(ticketExclusions, byEmail);
        for (const email of resolveOwners(settings.tickets.excluded_owners, byEmail).unknown) {
          plan.warnings.push(`excluded owner ${email} is not an active HubSpot owner`);
        }
        const search: SearchKind = {
          key: 'tickets:replied',
          objectType: 'tickets',
          dateProperty: 'createdate',
          extraFilters: [{ propertyName: reply, operator: 'HAS_PROPERTY' }],
        };
        const measure = firstResponseMeasure(ctx, settings, excluded.ids);
        addToSearch(search, [reply], { metric: plan, owners: 'all', unassigned, measure });
        break;
      }
    }
  }
  return { flows, searches: [...searches.values()], openTickets, failed };
}

/** A search's owners, properties and unassigned flag: the union of what its consumers need. */
export function fitToConsumers(spec: PlannedSearch): void {
  spec.properties = new Set(spec.consumers.flatMap((c) => c.properties));
  spec.owners = new Set();
  for (const consumer of spec.consumers) {
    if (consumer.owners === 'all' || spec.owners === 'all') spec.owners = 'all';
    else for (const id of consumer.owners) spec.owners.add(id);
  }
  spec.unassigned = spec.consumers.some((c) => c.unassigned);
}

function firstResponseMeasure(ctx: Ctx, settings: HubspotSettings, excluded: Set<string>): Measure {
  const schedule = settings.tickets.business_hours ? ctx.config.support.business_hours : undefined;
  const tz = ctx.config.org.timezone;
  const replyProperty = settings.tickets.first_reply_property;
  return (record) => {
    if (record.ownerId && excluded.has(record.ownerId)) return undefined;
    const reply = parseInstant(record.properties[replyProperty]);
    if (reply === undefined || reply < record.at) return undefined;
    if (!schedule) return (reply - record.at) / HOUR_MS;
    return businessHoursBetween(new Date(record.at).toISOString(), new Date(reply).toISOString(), schedule, tz);
  };
}

/** Engagement ids associated with the Warm-250 contacts, per engagement type the run's Warm-250 metrics need. */
async function warmSets(
  client: HubspotClient,
  settings: HubspotSettings,
  queries: { query: HubspotQuery }[],
): Promise<Map<EngagementType, Set<string>>> {
  const types = new Set<EngagementType>();
  for (const { query } of queries) {
    if (!('warm250' in query) || !query.warm250) continue;
    if (query.object === 'calls') types.add('calls');
    if (query.object === 'meetings') types.add('meetings');
    if (query.object === 'conversations') types.add('calls').add('notes');
  }
  const sets = new Map<EngagementType, Set<string>>();
  if (types.size === 0 || !settings.warm250) return sets;
  const contacts = await warmContactIds(client, settings.warm250);
  for (const type of types) sets.set(type, contacts.length > 0 ? await associatedIds(client, contacts, type) : new Set());
  return sets;
}
