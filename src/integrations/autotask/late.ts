import { z } from 'zod';
import type { LocalDay } from '../../metrics/types.js';
import { localDayOf } from '../../metrics/periods.js';
import { loadRecordDays, readCursor, scanStart, updateRecordDays, writeCursor, type RecordDays } from '../late-changes.js';
import type { LateChanges, SourceContext } from '../source.js';
import { utcFilterValue, type AutotaskApi, type Filter } from './client.js';
import { workDayOf } from './map.js';
import { parseAutotaskInstant, ticketSchema, timeEntrySchema, type Ticket } from './schemas.js';

/**
 * Autotask's modification cursor. Tickets changed since the last plain refresh (`lastTrackedModificationDateTime`,
 * which moves on status, queue and date changes, or `lastActivityDate`) are read whatever their queue, and every
 * day they touch is re-collected: the days the index says they were counted on (old creation and completion
 * days, and the days of a ticket that left the queue) and the days they count on now. Time entries changed since
 * (`lastModifiedDateTime`) name their date worked.
 */

const TICKET_CURSOR = 'autotask.cursor.tickets';
const TIME_CURSOR = 'autotask.cursor.time_entries';
/** Ticket id → [creation day, completion day?] as last counted in the queue. */
export const TICKET_DAYS_KEY = 'autotask.ticket_days';

export interface LateScope {
  api: AutotaskApi;
  timezone: string;
  queueId?: number;
  completeStatus: number;
  /** Null when utilization is not asked for; empty means every resource. */
  resourceIds: number[] | null;
  window: { from: LocalDay; to: LocalDay };
}

/** The days a ticket counts on now: none outside the queue; its creation day, and its completion day when complete. */
function ticketDays(ticket: ScannedTicket, scope: LateScope): LocalDay[] | undefined {
  if (scope.queueId === undefined || ticket.queueID !== scope.queueId) return undefined;
  const created = localDayOf(parseAutotaskInstant(ticket.createDate), scope.timezone);
  const complete = ticket.completedDate && (ticket.status === undefined || ticket.status === scope.completeStatus);
  return complete ? [created, localDayOf(parseAutotaskInstant(ticket.completedDate!), scope.timezone)] : [created];
}

const scannedTicketSchema = ticketSchema.extend({ queueID: z.number().int().nullish() });
type ScannedTicket = z.output<typeof scannedTicketSchema>;

/** Why a ticket's days changed, from what the index remembers and what the ticket says now. */
function reasonFor(before: readonly LocalDay[] | undefined, now: readonly LocalDay[] | undefined): string | undefined {
  if (before && !now) return 'moved out of the queue';
  if (!before && now) return 'moved into the queue';
  if (!before || !now) return undefined;
  if (before[0] !== now[0]) return 're-dated';
  if (before[1] !== undefined && now[1] !== before[1]) return now[1] === undefined ? 'reopened' : 'reopened and closed again';
  if (before[1] === undefined && now[1] !== undefined) return 'closed late';
  return undefined;
}

const outside = (days: readonly LocalDay[], window: LateScope['window']) => days.some((day) => day < window.from || day > window.to);

export async function autotaskLateChanges(ctx: SourceContext, scope: LateScope): Promise<LateChanges> {
  const ticketCursor = scope.queueId === undefined ? undefined : await readCursor(ctx.state, TICKET_CURSOR);
  const timeCursor = scope.resourceIds === null ? undefined : await readCursor(ctx.state, TIME_CURSOR);
  const days = new Set<LocalDay>();
  const reasons = new Map<string, number>();
  const scanned = new Map<string, LocalDay[] | undefined>();

  if (ticketCursor) {
    const index: RecordDays = await loadRecordDays(ctx.state, TICKET_DAYS_KEY);
    const since = utcFilterValue(scanStart(ticketCursor));
    const filter: Filter[] = [
      {
        op: 'or',
        items: [
          { op: 'gte', field: 'lastTrackedModificationDateTime', value: since },
          { op: 'gte', field: 'lastActivityDate', value: since },
        ],
      },
    ];
    const fields = ['id', 'createDate', 'completedDate', 'status', 'queueID'];
    for await (const page of scope.api.query('Tickets', filter, fields, scannedTicketSchema)) {
      for (const ticket of page) {
        const id = String(ticket.id);
        const before = index.get(id);
        const now = ticketDays(ticket, scope);
        scanned.set(id, now);
        const touched = [...(before ?? []), ...(now ?? [])];
        if (!outside(touched, scope.window)) continue;
        for (const day of touched) days.add(day);
        const reason = reasonFor(before, now);
        if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
  }

  let timeEntries = 0;
  if (timeCursor && scope.resourceIds !== null) {
    const since: Filter = { op: 'gte', field: 'lastModifiedDateTime', value: utcFilterValue(scanStart(timeCursor)) };
    const byResource: Filter[] = scope.resourceIds.length > 0 ? [{ op: 'in', field: 'resourceID', value: scope.resourceIds }] : [];
    const fields = ['id', 'resourceID', 'dateWorked', 'hoursWorked', 'isNonBillable'];
    for await (const page of scope.api.query('TimeEntries', [since, ...byResource], fields, timeEntrySchema)) {
      for (const entry of page) {
        const day = workDayOf(entry.dateWorked, scope.timezone);
        if (day >= scope.window.from && day <= scope.window.to) continue;
        days.add(day);
        timeEntries += 1;
      }
    }
  }

  const reasonTexts = [...reasons].map(([what, count]) => `${count} ticket${count === 1 ? '' : 's'} ${what}`);
  if (timeEntries > 0) reasonTexts.push(`${timeEntries} time entr${timeEntries === 1 ? 'y' : 'ies'} logged or changed late`);

  return {
    days: [...days].sort(),
    reasons: reasonTexts,
    commit: async () => {
      const today = localDayOf(ctx.now, scope.timezone);
      if (scanned.size > 0) {
        await updateRecordDays(ctx.state, TICKET_DAYS_KEY, today, (index) => {
          for (const [id, now] of scanned) {
            if (now) index.set(id, now);
            else index.delete(id);
          }
        });
      }
      if (scope.queueId !== undefined) await writeCursor(ctx.state, TICKET_CURSOR, ctx.now);
      if (scope.resourceIds !== null) await writeCursor(ctx.state, TIME_CURSOR, ctx.now);
    },
  };
}

/**
 * Remembers the days the window's tickets were counted on, for a later change to name its old days. The opened
 * query sees a ticket's creation day, the closed query its creation and completion days.
 */
export async function rememberTicketDays(
  ctx: SourceContext,
  timezone: string,
  opened: readonly Ticket[],
  closed: readonly Ticket[],
): Promise<void> {
  if (opened.length === 0 && closed.length === 0) return;
  await updateRecordDays(ctx.state, TICKET_DAYS_KEY, localDayOf(ctx.now, timezone), (index) => {
    for (const ticket of opened) {
      const created = localDayOf(parseAutotaskInstant(ticket.createDate), timezone);
      const known = index.get(String(ticket.id));
      index.set(String(ticket.id), known && known[0] === created ? known : [created]);
    }
    for (const ticket of closed) {
      if (!ticket.completedDate) continue;
      const created = localDayOf(parseAutotaskInstant(ticket.createDate), timezone);
      index.set(String(ticket.id), [created, localDayOf(parseAutotaskInstant(ticket.completedDate), timezone)]);
    }
  });
}
