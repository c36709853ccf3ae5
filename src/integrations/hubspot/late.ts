import { addDays, localDayOf } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import {
  addRecordDays,
  loadRecordDays,
  RETAIN_DAYS,
  readCursor,
  reasonTexts,
  scanStart,
  updateRecordDays,
  writeCursor,
} from '../late-changes.js';
import type { LateChanges, SourceContext, SourceRequest, SourceRun } from '../source.js';
import { createHubspotClient, type HubspotClient, type HubspotDeps } from './client.js';
import { parseInstant } from './map.js';
import type { HubspotQuery, HubspotSettings } from './schemas.js';
import { searchWindow, type SearchSpec } from './search.js';

/**
 * HubSpot's modification cursor, one per object type the run's flow metrics read: records whose
 * `hs_lastmodifieddate` is past the cursor (less the overlap) are read whatever their owner, and every day they
 * touch is re-collected: the days a per-record index says they were counted on (written by each collect) and the days
 * their date properties name now. So a deal whose close date moved, a call logged late, a meeting rescheduled or a
 * record handed to another owner moves exactly its days. The scan is a CRM search sorted on `hs_lastmodifieddate`,
 * split in halves like any window past the 10,000-result cap.
 */

const MODIFIED = 'hs_lastmodifieddate';

/** The object types whose records feed flow metrics, with the date properties that place them on days. */
const DATE_PROPERTIES = {
  calls: ['hs_timestamp'],
  notes: ['hs_timestamp'],
  meetings: ['hs_createdate', 'hs_meeting_start_time'],
  deals: ['closedate'],
  tickets: ['createdate'],
} as const;
export type ScannedType = keyof typeof DATE_PROPERTIES;

/** What a late change is called in the summary and the change note, by object type. */
const NOUNS: Record<ScannedType, [string, string]> = {
  calls: ['call', 'calls'],
  notes: ['note', 'notes'],
  meetings: ['meeting', 'meetings'],
  deals: ['deal', 'deals'],
  tickets: ['ticket', 'tickets'],
};

const cursorKey = (type: ScannedType) => `hubspot.cursor.${type}`;
export const recordDaysKey = (type: ScannedType) => `hubspot.record_days.${type}`;

/** The object types a query's figures come from (MQLs and open tickets have no per-record days to move). */
export function scannedTypes(query: HubspotQuery): ScannedType[] {
  switch (query.object) {
    case 'calls':
      return ['calls'];
    case 'conversations':
      return ['calls', 'notes'];
    case 'meetings':
      return ['meetings'];
    case 'deals':
      return ['deals'];
    case 'first_response':
      return ['tickets'];
    default:
      return [];
  }
}

/** The object type a search of `objectType` indexes its records under, if it is one the cursor covers. */
export function indexedType(objectType: string): ScannedType | undefined {
  return objectType in DATE_PROPERTIES ? (objectType as ScannedType) : undefined;
}

/** Why a record's days changed: new to the index (logged or closed late), re-dated, or changed on the same days. */
function reasonFor(type: ScannedType, before: readonly LocalDay[] | undefined, now: readonly LocalDay[]): string {
  if (!before) return type === 'deals' ? 'closed or changed late' : 'logged late';
  if (before.join() === now.join()) return 'changed late';
  return type === 'meetings' ? 'rescheduled' : 're-dated';
}

/** The local days a record's date properties name now, sorted. */
export function recordDays(type: ScannedType, properties: Record<string, string | null>, tz: string): LocalDay[] {
  const instants = DATE_PROPERTIES[type].map((property) => parseInstant(properties[property]));
  const days = instants.filter((at): at is number => at !== undefined).map((at) => localDayOf(new Date(at), tz));
  return [...new Set(days)].sort();
}

/** The date properties a search of `objectType` reads so a collect can index its records' days (none if not covered). */
export function dayProperties(objectType: string): readonly string[] {
  const type = indexedType(objectType);
  return type ? DATE_PROPERTIES[type] : [];
}

export async function hubspotLateChanges(
  ctx: SourceRun<HubspotSettings>,
  request: SourceRequest<HubspotQuery>,
  deps: HubspotDeps,
): Promise<LateChanges> {
  const tz = ctx.config.org.timezone;
  const today = localDayOf(ctx.now, tz);
  const oldest = addDays(today, -RETAIN_DAYS);
  const types = [...new Set(request.metrics.flatMap((metric) => scannedTypes(metric.query)))].sort();
  const days = new Set<LocalDay>();
  const reasons = new Map<ScannedType, Map<string, number>>();
  const scanned = new Map<ScannedType, Map<string, LocalDay[]>>();
  const outside = (touched: readonly LocalDay[]) => touched.some((day) => day < request.from || day > request.to);

  let client: HubspotClient | undefined;
  for (const type of types) {
    const cursor = await readCursor(ctx.state, cursorKey(type));
    if (!cursor) continue; // the first plain refresh only starts the cursor
    client ??= createHubspotClient(ctx, ctx.settings, deps);
    const index = await loadRecordDays(ctx.state, recordDaysKey(type));
    const now = new Map<string, LocalDay[]>();
    scanned.set(type, now);
    const spec: SearchSpec = {
      key: `late:${type}`,
      objectType: type,
      dateProperty: MODIFIED,
      extraFilters: [],
      properties: new Set(DATE_PROPERTIES[type]),
      owners: 'all',
      unassigned: true,
    };
    await searchWindow(
      client,
      spec,
      scanStart(cursor).getTime(),
      ctx.now.getTime() + 1,
      (record) => {
        const current = recordDays(type, record.properties, tz);
        now.set(record.id, current);
        const before = index.get(record.id);
        // Seen by the last scan, and placed on the same days since: nothing left to correct.
        if (record.at < cursor.getTime() && before && before.join() === current.join()) return;
        const touched = [...new Set([...(before ?? []), ...current])].filter((day) => day >= oldest && day <= today);
        if (!outside(touched)) return;
        for (const day of touched) days.add(day);
        const reason = reasonFor(type, before, current);
        const counts = reasons.get(type) ?? new Map<string, number>();
        counts.set(reason, (counts.get(reason) ?? 0) + 1);
        reasons.set(type, counts);
      },
      { stopped: false },
    );
  }

  const texts = [...reasons].flatMap(([type, counts]) => reasonTexts(counts, NOUNS[type]));

  return {
    days: [...days].sort(),
    reasons: texts,
    commit: async () => {
      for (const [type, now] of scanned) {
        if (now.size === 0) continue;
        // The scanned records' days are what they are now: the old ones were just re-collected.
        await updateRecordDays(ctx.state, recordDaysKey(type), today, (index) => {
          for (const [id, current] of now) index.set(id, current);
        });
      }
      for (const type of types) await writeCursor(ctx.state, cursorKey(type), ctx.now);
    },
  };
}

/**
 * The days each record a collect counted was counted on, by object type, merged into the index once the collect
 * is done (a record keeps every day it was seen on until a scan replaces them with its current ones).
 */
export class CollectedDays {
  /** Record id → its days joined by commas: a year of calls is tens of thousands of ids, so one string each. */
  private readonly byType = new Map<ScannedType, Map<string, string>>();

  constructor(private readonly timezone: string) {}

  add(objectType: string, id: string, properties: Record<string, string | null>): void {
    const type = indexedType(objectType);
    if (!type) return;
    let records = this.byType.get(type);
    if (!records) {
      records = new Map();
      this.byType.set(type, records);
    }
    const known = records.get(id);
    const days = recordDays(type, properties, this.timezone).join(',');
    records.set(id, known === undefined || known === days ? days : `${known},${days}`);
  }

  async save(ctx: Pick<SourceContext, 'state' | 'now' | 'config'>): Promise<void> {
    const today = localDayOf(ctx.now, ctx.config.org.timezone);
    for (const [type, records] of this.byType) {
      if (records.size === 0) continue;
      await updateRecordDays(ctx.state, recordDaysKey(type), today, (index) => {
        for (const [id, days] of records) addRecordDays(index, id, days.split(',').filter(Boolean));
      });
      records.clear();
    }
  }
}
