import type { LocalDay } from '../../metrics/types.js';
import { addDays, dayStart } from '../../metrics/periods.js';
import { SourceError } from '../errors.js';
import type { CollectedValue, LateChanges, SourceRequest, SourceRun } from '../source.js';
import {
  connect,
  MAX_IN_VALUES,
  resolveQueueId,
  resolveResourceIds,
  resolveTimeOffCodes,
  SOURCE_ID,
  utcFilterValue,
  type AutotaskApi,
  type AutotaskDeps,
  type Filter,
} from './client.js';
import { credentialsFrom } from './credentials.js';
import { tallyClosed, tallyHours, tallyOpened, valuesFor, type DayTallies } from './map.js';
import { autotaskLateChanges, rememberTicketDays } from './late.js';
import {
  ticketSchema,
  timeEntrySchema,
  type AutotaskQuery,
  type AutotaskQueryKind,
  type AutotaskSettings,
  type Ticket,
} from './schemas.js';
import { dayChunks } from '../source-helpers.js';

/** Days per query window: small enough to yield regularly, large enough to keep request counts low. */
const CHUNK_DAYS = 31;
const TICKET_KINDS: readonly AutotaskQueryKind[] = ['tickets_opened', 'tickets_closed', 'same_day_close_rate'];

async function collectChunk(
  api: AutotaskApi,
  days: LocalDay[],
  kinds: ReadonlySet<AutotaskQueryKind>,
  context: {
    timezone: string;
    queueId?: number;
    resourceIds: number[];
    settings: AutotaskSettings;
    needOpened: boolean;
    timeOffCodes: ReadonlySet<number>;
  },
  seen: { opened: Ticket[]; closed: Ticket[] },
): Promise<DayTallies> {
  const { timezone, queueId, resourceIds, settings } = context;
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const start = utcFilterValue(dayStart(first, timezone));
  const end = utcFilterValue(dayStart(addDays(last, 1), timezone));
  const inQueue: Filter = { op: 'eq', field: 'queueID', value: queueId ?? 0 };
  const tallies: DayTallies = {};

  if (kinds.has('tickets_opened') || context.needOpened) {
    tallies.opened = new Map();
    const filter: Filter[] = [inQueue, { op: 'gte', field: 'createDate', value: start }, { op: 'lt', field: 'createDate', value: end }];
    for await (const page of api.query('Tickets', filter, ['id', 'createDate'], ticketSchema)) {
      tallyOpened(tallies.opened, page, timezone);
      seen.opened.push(...page);
    }
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
      seen.closed.push(...page);
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
    const fields = ['id', 'resourceID', 'dateWorked', 'hoursWorked', 'isNonBillable', 'billingCodeID', 'internalBillingCodeID'];
    for (const byResource of batches) {
      const filter = byResource ? [...window, byResource] : window;
      for await (const page of api.query('TimeEntries', filter, fields, timeEntrySchema))
        tallyHours(tallies.hours, page, timezone, context.timeOffCodes);
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
    denominator: metric.query.kind === 'same_day_close_rate' ? (metric.query.denominator ?? 'closed') : 'closed',
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
  if (kinds.has('utilization') && settings.resources.length === 0) {
    throw new SourceError(
      'config',
      SOURCE_ID,
      'sources.autotask.resources: list the technicians whose time counts toward utilization (ids or emails); it never defaults to everyone',
    );
  }
  const resourceIds = kinds.has('utilization') ? await resolveResourceIds(api, settings.resources) : [];
  const needOpened = wanted.some((metric) => metric.denominator === 'created');
  const timeOffCodes = kinds.has('utilization') ? await timeOffCodesFor(ctx, api) : new Set<number>();
  const context = { timezone: ctx.config.org.timezone, queueId, resourceIds, settings, needOpened, timeOffCodes };

  for (const days of dayChunks(from, to, CHUNK_DAYS)) {
    const seen = { opened: [] as Ticket[], closed: [] as Ticket[] };
    const tallies = await collectChunk(api, days, kinds, context, seen);
    // The days each ticket counts on now, for a later change to name as its old days (see late.ts).
    await rememberTicketDays(ctx, context.timezone, seen.opened, seen.closed);
    yield wanted.flatMap((metric): CollectedValue[] => valuesFor(metric.id, metric.kind, days, tallies, metric.denominator));
  }
}

/**
 * The codes whose entries are time off, not time worked: those Autotask marks as time off plus the configured ones,
 * unless `time_off_counts_as_worked` says time off is worked.
 */
async function timeOffCodesFor(ctx: SourceRun<AutotaskSettings>, api: AutotaskApi): Promise<ReadonlySet<number>> {
  if (ctx.settings.time_off_counts_as_worked) return new Set();
  return new Set([...(await resolveTimeOffCodes(ctx, api)), ...ctx.settings.time_off_billing_codes]);
}

/** The modification-cursor scan (`Source.lateChanges`): tickets and time entries changed since the last plain refresh. */
export async function lateAutotaskChanges(
  ctx: SourceRun<AutotaskSettings>,
  { from, to, metrics }: SourceRequest<AutotaskQuery>,
  deps: AutotaskDeps,
): Promise<LateChanges> {
  const credentials = credentialsFrom(ctx.env);
  if (!credentials)
    throw new SourceError('config', SOURCE_ID, 'not configured: set AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE');
  const { settings } = ctx;
  const kinds = new Set(metrics.map((metric) => metric.query.kind));
  const api = await connect(ctx, credentials, settings, deps);
  const tickets = TICKET_KINDS.some((kind) => kinds.has(kind)) && settings.queue;
  return autotaskLateChanges(ctx, {
    api,
    timezone: ctx.config.org.timezone,
    queueId: tickets ? await resolveQueueId(ctx, api, settings.queue!) : undefined,
    completeStatus: settings.complete_status,
    resourceIds: kinds.has('utilization') ? await resolveResourceIds(api, settings.resources) : null,
    window: { from, to },
  });
}
