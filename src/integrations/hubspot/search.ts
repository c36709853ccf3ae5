import { SourceError } from '../errors.js';
import { SEARCH_PAGE_LIMIT, SEARCH_RESULT_CAP, SOURCE_ID, type HubspotClient, type SearchBody, type SearchFilter } from './client.js';
import { parseInstant, type SearchRecord } from './map.js';

/**
 * One CRM search over one time range: every owner at once (`hubspot_owner_id IN [...]`), the date property
 * `BETWEEN` the range in epoch ms, sorted by that date ascending, 200 per page, paged with `after`.
 * HubSpot pages through at most 10,000 results per query, so a range whose first page reports more is split
 * in halves (recursively) before anything is counted.
 */

export interface SearchSpec {
  key: string;
  objectType: string;
  dateProperty: string;
  extraFilters: SearchFilter[];
  properties: Set<string>;
  /** Owner ids to filter on, or 'all' for no owner filter (ownerless objects, or a metric counting everyone). */
  owners: Set<string> | 'all';
  /** Also fetch records with no owner (a metric counts them): a second filter group, or no owner filter at all. */
  unassigned: boolean;
}

/** Set when the run is over (failed or abandoned) so in-flight window fetches stop paging. */
export interface StopSignal {
  stopped: boolean;
}

export function searchBody(spec: SearchSpec, low: number, high: number, after: string): SearchBody {
  const date: SearchFilter = { propertyName: spec.dateProperty, operator: 'BETWEEN', value: String(low), highValue: String(high) };
  const group = (owner: SearchFilter[]) => ({ filters: [date, ...owner, ...spec.extraFilters] });
  const OWNER = 'hubspot_owner_id';
  // Groups are ORed: the named owners' records, then (when a metric wants them) the records nobody owns.
  const filterGroups =
    spec.owners !== 'all'
      ? [
          ...(spec.owners.size > 0 || !spec.unassigned
            ? [group([{ propertyName: OWNER, operator: 'IN', values: [...spec.owners].sort() }])]
            : []),
          ...(spec.unassigned ? [group([{ propertyName: OWNER, operator: 'NOT_HAS_PROPERTY' }])] : []),
        ]
      : [group(spec.unassigned ? [] : [{ propertyName: OWNER, operator: 'HAS_PROPERTY' }])];
  // The owner is always read: a search without an owner filter may still feed metrics that count some owners.
  const properties = new Set([...spec.properties, spec.dateProperty, OWNER]);
  return {
    filterGroups,
    sorts: [{ propertyName: spec.dateProperty, direction: 'ASCENDING' }],
    properties: [...properties].sort(),
    limit: SEARCH_PAGE_LIMIT,
    after,
  };
}

/**
 * Streams every record of `spec` whose date lies in `[startMs, endMs)` to `onRecord`, once per id,
 * holding one page at a time.
 */
export async function searchWindow(
  client: HubspotClient,
  spec: SearchSpec,
  startMs: number,
  endMs: number,
  onRecord: (record: SearchRecord) => void,
  stop: StopSignal,
): Promise<void> {
  const seen = new Set<string>();
  for (const part of ownerChunks(spec)) {
    await searchRange(
      client,
      part,
      startMs,
      endMs - 1,
      (record) => {
        if (seen.has(record.id)) return;
        seen.add(record.id);
        onRecord(record);
      },
      stop,
    );
  }
}

/** HubSpot takes at most this many values in one IN filter. */
export const MAX_IN_VALUES = 100;

/** A search over more owners than one IN filter takes becomes one search per block of owners (the same window). */
export function ownerChunks(spec: SearchSpec): SearchSpec[] {
  if (spec.owners === 'all' || spec.owners.size <= MAX_IN_VALUES) return [spec];
  const owners = [...spec.owners].sort();
  const chunks: SearchSpec[] = [];
  for (let i = 0; i < owners.length; i += MAX_IN_VALUES) chunks.push({ ...spec, owners: new Set(owners.slice(i, i + MAX_IN_VALUES)) });
  return chunks;
}

async function searchRange(
  client: HubspotClient,
  spec: SearchSpec,
  low: number,
  high: number,
  onRecord: (record: SearchRecord) => void,
  stop: StopSignal,
): Promise<void> {
  let after = '0';
  for (let first = true; ; first = false) {
    if (stop.stopped) return;
    const page = await client.search(spec.objectType, searchBody(spec, low, high, after));
    if (first && page.total > SEARCH_RESULT_CAP) {
      if (high <= low) {
        throw new SourceError('bad_response', SOURCE_ID, `${spec.objectType} search: ${page.total} results at a single instant`);
      }
      const mid = low + Math.floor((high - low) / 2);
      await searchRange(client, spec, low, mid, onRecord, stop);
      await searchRange(client, spec, mid + 1, high, onRecord, stop);
      return;
    }
    for (const result of page.results) {
      const at = parseInstant(result.properties[spec.dateProperty]);
      if (at === undefined) continue;
      onRecord({ id: result.id, ownerId: result.properties.hubspot_owner_id || undefined, at, properties: result.properties });
    }
    const next = page.paging?.next?.after;
    if (!next || page.results.length === 0) return;
    after = next;
  }
}
