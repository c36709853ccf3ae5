import type { LocalDay } from '../../metrics/types.js';
import { localDayOf } from '../../metrics/periods.js';
import {
  addRecordDays,
  daysOutside,
  loadRecordDays,
  readCursor,
  reasonTexts,
  scanStart,
  updateRecordDays,
  writeCursor,
  type RecordDays,
} from '../late-changes.js';
import type { LateChanges, SourceContext } from '../source.js';
import type { ZendeskApi } from './client.js';
import type { ExportedTicket, TicketMetric } from './schemas.js';

/**
 * Zendesk's modification cursor: the incremental ticket export (cursor-based, `start_time` = the last plain refresh
 * less the overlap) names every ticket changed since, whatever its status, assignee or group, with its metric set.
 * Each changed ticket touches the days the index says it was counted on (old creation and solved days, and the days
 * of its SLA breaches) and the days it counts on now (creation day, solved day). The refresh re-collects those days
 * whole: counts, first reply times and breaches are recomputed from Zendesk, exclusions included, never patched.
 */

const CURSOR_KEY = 'zendesk.cursor.tickets';
/** Ticket id → [creation day, solved day?] as last seen. */
export const TICKET_DAYS_KEY = 'zendesk.ticket_days';
/** Ticket id → the days its SLA breaches were counted on (a reassignment to an excluded owner moves them). */
export const BREACH_DAYS_KEY = 'zendesk.breach_days';

const SOLVED_STATUSES: ReadonlySet<string> = new Set(['solved', 'closed']);

export interface LateScope {
  api: ZendeskApi;
  timezone: string;
  window: { from: LocalDay; to: LocalDay };
}

/** The days a ticket counts on now: its creation day, and its solved day while solved or closed; none once deleted. */
export function ticketDaysNow(ticket: ExportedTicket, metric: TicketMetric | undefined, timezone: string): LocalDay[] | undefined {
  if (ticket.status === 'deleted') return undefined;
  const created = localDayOf(new Date(ticket.created_at), timezone);
  const solvedAt = metric?.solved_at;
  const solved = solvedAt && ticket.status !== undefined && SOLVED_STATUSES.has(ticket.status);
  return solved ? [created, localDayOf(new Date(solvedAt), timezone)] : [created];
}

/** Why a ticket's figures changed, from the days the index remembers and the days it counts on now. */
export function reasonFor(before: readonly LocalDay[] | undefined, now: readonly LocalDay[] | undefined): string {
  if (before && !now) return 'deleted';
  if (!before || !now) return 'changed late';
  if (before[0] !== now[0]) return 're-dated';
  if (before[1] !== undefined && now[1] !== before[1]) return now[1] === undefined ? 'reopened' : 'reopened and solved again';
  if (before[1] === undefined && now[1] !== undefined) return 'solved late';
  return 'changed late';
}

export async function zendeskLateChanges(ctx: SourceContext, scope: LateScope): Promise<LateChanges> {
  const cursor = await readCursor(ctx.state, CURSOR_KEY);
  const days = new Set<LocalDay>();
  const reasons = new Map<string, number>();
  const scanned = new Map<string, LocalDay[] | undefined>();

  if (cursor) {
    const index: RecordDays = await loadRecordDays(ctx.state, TICKET_DAYS_KEY);
    const breaches: RecordDays = await loadRecordDays(ctx.state, BREACH_DAYS_KEY);
    for await (const page of scope.api.changedTickets(scanStart(cursor))) {
      const metrics = new Map(page.metric_sets.map((metric) => [metric.ticket_id, metric]));
      for (const ticket of page.tickets) {
        const id = String(ticket.id);
        const metric = metrics.get(ticket.id);
        const before = index.get(id);
        const now = ticketDaysNow(ticket, metric, scope.timezone);
        scanned.set(id, now);
        // A reopened ticket keeps its last `solved_at`: that old day is touched even when the index never saw it.
        const lastSolved = metric?.solved_at ? localDayOf(new Date(metric.solved_at), scope.timezone) : undefined;
        const touched = [...(before ?? []), ...(now ?? []), ...(breaches.get(id) ?? []), ...(lastSolved ? [lastSolved] : [])];
        const old = daysOutside(touched, scope.window.from, scope.window.to);
        if (old.length === 0) continue;
        for (const day of old) days.add(day);
        const reason = reasonFor(before, now);
        reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      }
    }
  }

  return {
    days: [...days].sort(),
    reasons: reasonTexts(reasons, ['ticket', 'tickets']),
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
      await writeCursor(ctx.state, CURSOR_KEY, ctx.now);
    },
  };
}

/**
 * Remembers the days the tickets a first-reply collect read count on (`ticketDaysNow`: creation, and solved day when
 * solved), for a later change to name its old days. The change scan keeps the index current from then on.
 */
export async function rememberTicketDays(
  ctx: SourceContext,
  timezone: string,
  ticketDays: ReadonlyMap<number, readonly LocalDay[]>,
): Promise<void> {
  if (ticketDays.size === 0) return;
  await updateRecordDays(ctx.state, TICKET_DAYS_KEY, localDayOf(ctx.now, timezone), (index) => {
    for (const [id, days] of ticketDays) if (days.length > 0) index.set(String(id), [...days]);
  });
}

/** Remembers the days each breached ticket's breaches were counted on (excluded or not). */
export async function rememberBreachDays(
  ctx: SourceContext,
  timezone: string,
  breachDays: ReadonlyMap<number, readonly LocalDay[]>,
): Promise<void> {
  if (breachDays.size === 0) return;
  await updateRecordDays(ctx.state, BREACH_DAYS_KEY, localDayOf(ctx.now, timezone), (index) => {
    for (const [id, days] of breachDays) addRecordDays(index, String(id), days);
  });
}
