/**
 * CRM v3 search semantics for the loopback HubSpot: filter groups (OR of ANDs), the documented operators,
 * sorts, `limit` ≤ 200, an offset `after` cursor, `total`, and the 10,000-result paging cap.
 */

export interface FakeRecord {
  id: string;
  properties: Record<string, string | null>;
  /** Ids of associated contacts (engagements only), for the v4 associations batch read. */
  contacts?: string[];
}

export interface Filter {
  propertyName: string;
  operator: string;
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface SearchRequestBody {
  filterGroups?: { filters?: Filter[] }[];
  sorts?: (string | { propertyName: string; direction?: string })[];
  properties?: string[];
  limit?: number;
  after?: string | number;
}

export const RESULT_CAP = 10_000;
export const MAX_LIMIT = 200;

export class SearchError extends Error {}

const NUMERIC = /^-?\d+(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Numbers and dates compare as numbers (a datetime property against an epoch-ms filter); text case-insensitively. */
function comparable(value: string): number | string {
  if (NUMERIC.test(value)) return Number(value);
  if (ISO_DATE.test(value)) return Date.parse(value);
  return value.toLowerCase();
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** Comparable values are cached per record and property: every search scans tens of thousands of records. */
const cache = new WeakMap<FakeRecord, Map<string, number | string | null>>();
function comparableValue(record: FakeRecord, property: string): number | string | null {
  let perRecord = cache.get(record);
  if (!perRecord) {
    perRecord = new Map();
    cache.set(record, perRecord);
  }
  let value = perRecord.get(property);
  if (value === undefined) {
    const raw = property === 'hs_object_id' ? record.id : record.properties[property];
    value = raw === null || raw === undefined || raw === '' ? null : comparable(raw);
    perRecord.set(property, value);
  }
  return value;
}

function matches(record: FakeRecord, filter: Filter): boolean {
  const actual = comparableValue(record, filter.propertyName);
  const op = filter.operator;
  if (op === 'HAS_PROPERTY') return actual !== null;
  if (op === 'NOT_HAS_PROPERTY') return actual === null;
  if (op === 'IN' || op === 'NOT_IN') {
    const inSet = actual !== null && (filter.values ?? []).some((v) => compare(actual, comparable(v)) === 0);
    return op === 'IN' ? inSet : !inSet;
  }
  if (filter.value === undefined) throw new SearchError(`filter on ${filter.propertyName}: ${op} needs a value`);
  const wanted = comparable(filter.value);
  if (op === 'NEQ') return actual === null || compare(actual, wanted) !== 0;
  if (actual === null) return false;
  const c = compare(actual, wanted);
  switch (op) {
    case 'EQ':
      return c === 0;
    case 'LT':
      return c < 0;
    case 'LTE':
      return c <= 0;
    case 'GT':
      return c > 0;
    case 'GTE':
      return c >= 0;
    case 'BETWEEN':
      if (filter.highValue === undefined) throw new SearchError(`filter on ${filter.propertyName}: BETWEEN needs highValue`);
      return c >= 0 && compare(actual, comparable(filter.highValue)) <= 0;
    default:
      throw new SearchError(`unsupported operator ${op}`);
  }
}

/** Records sorted by one property's value (nulls dropped), built once per record set and property. */
const indexes = new WeakMap<readonly FakeRecord[], Map<string, FakeRecord[]>>();
function sortedBy(records: readonly FakeRecord[], property: string): FakeRecord[] {
  let perSet = indexes.get(records);
  if (!perSet) {
    perSet = new Map();
    indexes.set(records, perSet);
  }
  let sorted = perSet.get(property);
  if (!sorted) {
    sorted = records.filter((r) => typeof comparableValue(r, property) === 'number');
    sorted.sort((a, b) => (comparableValue(a, property) as number) - (comparableValue(b, property) as number));
    perSet.set(property, sorted);
  }
  return sorted;
}

/** A numeric BETWEEN narrows the scan to a slice of the sorted index (the filter itself still runs on it). */
function narrowByRange(records: readonly FakeRecord[], filters: readonly Filter[]): readonly FakeRecord[] {
  const range = filters.find((f) => f.operator === 'BETWEEN' && f.value !== undefined && f.highValue !== undefined);
  if (!range) return records;
  const low = comparable(range.value!);
  const high = comparable(range.highValue!);
  if (typeof low !== 'number' || typeof high !== 'number') return records;
  const sorted = sortedBy(records, range.propertyName);
  const firstAtLeast = (bound: number, inclusive: boolean) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const v = comparableValue(sorted[mid]!, range.propertyName) as number;
      if (inclusive ? v < bound : v <= bound) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return sorted.slice(firstAtLeast(low, true), firstAtLeast(high, false));
}

export interface SearchResponseBody {
  total: number;
  results: { id: string; properties: Record<string, string | null>; createdAt: string; updatedAt: string; archived: boolean }[];
  paging?: { next: { after: string; link: string } };
}

export function runSearch(records: readonly FakeRecord[], body: SearchRequestBody): SearchResponseBody {
  const limit = body.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new SearchError(`limit must be between 1 and ${MAX_LIMIT}`);
  const offset = body.after === undefined || body.after === '' ? 0 : Number(body.after);
  if (!Number.isInteger(offset) || offset < 0) throw new SearchError('after must be a paging cursor from a previous page');
  if (offset >= RESULT_CAP) throw new SearchError(`paging is limited to ${RESULT_CAP} results per query`);
  const groups = (body.filterGroups ?? []).map((g) => g.filters ?? []);
  const candidates = groups.length === 1 ? narrowByRange(records, groups[0]!) : records;
  const hits = groups.length === 0 ? [...records] : candidates.filter((r) => groups.some((filters) => filters.every((f) => matches(r, f))));
  const sorts = (body.sorts ?? []).map((s) =>
    typeof s === 'string'
      ? { property: s.replace(/^-/, ''), descending: s.startsWith('-') }
      : { property: s.propertyName, descending: s.direction === 'DESCENDING' },
  );
  hits.sort((a, b) => {
    for (const sort of sorts) {
      const va = comparableValue(a, sort.property);
      const vb = comparableValue(b, sort.property);
      const c = va === null ? (vb === null ? 0 : 1) : vb === null ? -1 : compare(va, vb);
      if (c !== 0) return sort.descending ? -c : c;
    }
    return Number(a.id) - Number(b.id);
  });
  const page = hits.slice(offset, offset + limit);
  const end = offset + page.length;
  const wanted = body.properties ?? [];
  return {
    total: hits.length,
    results: page.map((record) => {
      const properties: Record<string, string | null> = { hs_object_id: record.id };
      for (const name of wanted) properties[name] = record.properties[name] ?? null;
      return { id: record.id, properties, createdAt: '2024-12-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', archived: false };
    }),
    ...(end < Math.min(hits.length, RESULT_CAP) ? { paging: { next: { after: String(end), link: `?after=${end}` } } } : {}),
  };
}
