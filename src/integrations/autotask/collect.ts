import type { LocalDay } from '../../metrics/types.js';
import { addDays, dayStart } from '../../metrics/periods.js';
import { SourceError } from '../errors.js';
import type { CollectedValue, SourceRequest, SourceRun } from '../source.js';
import {
  connect,
  credentialsFrom,
  MAX_IN_VALUES,
  resolveQueueId,
  resolveResourceIds,
  SOURCE_ID,
  utcFilterValue,
  type AutotaskApi,
  type AutotaskDeps,
  type Filter,
} from './client.js';
import { tallyClosed, tallyHours, tallyOpened, valuesFor, type DayTallies } from './map.js';
import { ticketSchema, timeEntrySchema, type AutotaskQuery, type AutotaskQueryKind, type AutotaskSettings } from './schemas.js';
import { dayChunks } from '../source-helpers.js';

/** Days per query window: small enough to yield regularly, large enough to keep request counts low. */
const CHUNK_DAYS = 31;
const TICKET_KINDS: readonly AutotaskQueryKind[] = ['tickets_opened', 'tickets_closed', 'same_day_close_rate'];

async function collectChunk(
  api: AutotaskApi,
  days: LocalDay[],
  kinds: ReadonlySet<AutotaskQueryKind>,
  context: { timezone: string; queueId?: number; resourceIds: number[]; settings: AutotaskSettings },
): Promise<DayTallies> {
  const { timezone, queueId, resourceIds, settings } = context;
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const start = utcFilterValue(dayStart(first, timezone));
  const end = utcFilterValue(dayStart(addDays(last, 1), timezone));
  const inQueue: Filter = { op: 'eq', field: 'queueID', value: queueId ?? 0 };
  const tallies: DayTallies = {};

  if (kinds.has('tickets_opened')) {
    tallies.opened = new Map();
    const filter: Filter[] = [inQueue, { op: 'gte', field: 'createDate', value: start }, { op: 'lt', field: 'createDate', value: end }];
    for await (const page of api.query('Tickets', filter, ['id', 'createDate'], ticketSchema)) tallyOpened(tallies.opened, page, timezone);
  }

  if (kinds.has('tickets_closed') || kinds.has('same_day_close_rate')) {
    tallies.closed = new Map();
    const filter: Filter[] = [
      inQueue,
      { op: 'eq', field: 'status', value: settings.complete_status },
      { op: 'gte', field: 'completedDate', value: start },
      { op: 'lt', field: 'completedDate', value: end },
    ];
    const fields = ['id', 'createDate', 'completedDate', 'status'];
    for await (const page of api.query('Tickets', filter, fields, ticketSchema)) {
      tallyClosed(tallies.closed, page, timezone, settings.complete_status);
    }
  }

  if (kinds.has('utilization')) {
    tallies.hours = new Map();
    // A day wider on each side: dateWorked is a date serialised as midnight UTC; days outside the chunk are dropped.
    const window: Filter[] = [
      { op: 'gte', field: 'dateWorked', value: utcFilterValue(dayStart(addDays(first, -1), timezone)) },
      { op: 'lt', field: 'dateWorked', value: utcFilterValue(dayStart(addDays(last, 2), timezone)) },
    ];
    const batches: (Filter | undefined)[] = [];
    if (resourceIds.length === 0) batches.push(undefined);
    for (let i = 0; i < resourceIds.length; i += MAX_IN_VALUES) {
      batches.push({ op: 'in', field: 'resourceID', value: resourceIds.slice(i, i + MAX_IN_VALUES) });
    }
    const fields = ['id', 'resourceID', 'dateWorked', 'hoursWorked', 'isNonBillable'];
    for (const byResource of batches) {
      const filter = byResource ? [...window, byResource] : window;
      for await (const page of api.query('TimeEntries', filter, fields, timeEntrySchema)) tallyHours(tallies.hours, page, timezone);
    }
  }
  return tallies;
}

export async function* collectAutotask(
  ctx: SourceRun<AutotaskSettings>,
  { from, to, metrics }: SourceRequest<AutotaskQuery>,
  deps: AutotaskDeps,
): AsyncGenerator<CollectedValue[]> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials)
    throw new SourceError('config', SOURCE_ID, 'not configured: set AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE');
  const { settings } = ctx;
  const wanted = metrics.map((metric) => ({
    id: metric.id,
    kind: metric.query.kind,
  }));
  if (wanted.length === 0 || from > to) return;
  const kinds = new Set(wanted.map((metric) => metric.kind));

  const api = await connect(ctx, credentials, settings, deps);
  let queueId: number | undefined;
  if (TICKET_KINDS.some((kind) => kinds.has(kind))) {
    if (!settings.queue)
      throw new SourceError('config', SOURCE_ID, 'sources.autotask.queue: set the queue id or name the ticket metrics count');
    queueId = await resolveQueueId(ctx, api, settings.queue);
  }
  const resourceIds = kinds.has('utilization') ? await resolveResourceIds(api, settings.resources) : [];
  const context = { timezone: ctx.config.org.timezone, queueId, resourceIds, settings };

  for (const days of dayChunks(from, to, CHUNK_DAYS)) {
    const tallies = await collectChunk(api, days, kinds, context);
    yield wanted.flatMap((metric): CollectedValue[] => valuesFor(metric.id, metric.kind, days, tallies));
  }
}
