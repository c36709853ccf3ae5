import { SourceError } from '../errors.js';
import type { FailedMetric } from '../source.js';
import { fitToConsumers, type PlannedSearch } from './plan.js';

/**
 * A search shared by several metrics that HubSpot refuses with a 400 naming a property (one deleted or renamed in
 * the portal) fails only the metrics that use that property; the search runs again without them, so the source's
 * other metrics still refresh. A 400 naming no property we sent stays a failure of the whole source.
 */

export interface SearchFailures {
  /** Metrics failed during the run, for the refresh (taken by `takePending`) and to leave their values out. */
  failedIds: Set<string>;
  pending: FailedMetric[];
  /** Per search key, the properties already blamed: a window still in flight may meet the same 400 again. */
  blamed: Map<string, Set<string>>;
}

export function newSearchFailures(): SearchFailures {
  return { failedIds: new Set(), pending: [], blamed: new Map() };
}

/** The search's own properties: a 400 naming one of these fails every metric reading the search. */
function searchLevelProperties(spec: PlannedSearch): string[] {
  return [spec.dateProperty, 'hubspot_owner_id', ...spec.extraFilters.map((filter) => filter.propertyName)];
}

/** The properties among `candidates` that the error's text names, as whole words. */
export function propertiesNamed(text: string, candidates: Iterable<string>): Set<string> {
  const named = new Set<string>();
  for (const name of candidates) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`).test(text)) named.add(name);
  }
  return named;
}

/**
 * Handles a failed search of `spec`: true when the run can go on (the metrics using the named property are failed and
 * dropped from every search, or were already), false when the error is not one a metric can own.
 */
export function failMetricsNamedBy(
  error: unknown,
  spec: PlannedSearch,
  searches: readonly PlannedSearch[],
  state: SearchFailures,
): boolean {
  if (!(error instanceof SourceError) || error.status !== 400) return false;
  // Only HubSpot's own words: the request line names the object type, never a property.
  const detail = error.message.slice(error.message.indexOf('→') + 1);
  const level = searchLevelProperties(spec);
  const named = propertiesNamed(detail, [...level, ...spec.consumers.flatMap((c) => c.properties), ...(state.blamed.get(spec.key) ?? [])]);
  if (named.size === 0) return false;
  const blamed = state.blamed.get(spec.key) ?? new Set<string>();
  const fresh = [...named].filter((name) => !blamed.has(name));
  if (fresh.length === 0) return true; // a concurrent window already dropped its metrics: search again as it is now
  for (const name of fresh) blamed.add(name);
  state.blamed.set(spec.key, blamed);

  const wholeSearch = level.some((name) => named.has(name));
  const culprits = spec.consumers.filter((c) => wholeSearch || c.properties.some((name) => named.has(name)));
  if (culprits.length === 0) return false;
  const reason = `${[...named].join(', ')}: ${reasonText(detail, named)} (${spec.objectType} search)`;
  for (const { metric } of culprits) {
    if (state.failedIds.has(metric.metric.id)) continue;
    state.failedIds.add(metric.metric.id);
    state.pending.push({ metricId: metric.metric.id, failure: { errorClass: 'config', message: reason } });
  }
  // A failed metric fails as a whole: it leaves every search it fed (a conversation metric reads calls and notes).
  for (const search of searches) {
    search.consumers = search.consumers.filter((c) => !state.failedIds.has(c.metric.metric.id));
    fitToConsumers(search);
  }
  return true;
}

/** HubSpot's sentences that name the property ("Property "mrr" does not exist"), else its whole message. */
function reasonText(detail: string, named: Set<string>): string {
  const parts = detail
    .replace(/^\s*\d{3}:\s*/, '')
    .split('; ')
    .map((part) => part.trim());
  const naming = parts.filter((part) => propertiesNamed(part, named).size > 0);
  const sentences = naming.filter((part) => !/^[A-Za-z]+: /.test(part)); // not a bare `propertyName: x` context entry
  return (sentences.length > 0 ? sentences : naming.length > 0 ? naming : parts).join('; ');
}

/** The failures recorded since the last call, once each. */
export function takePending(state: SearchFailures): FailedMetric[] {
  return state.pending.splice(0);
}
