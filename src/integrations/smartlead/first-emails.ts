import { z } from 'zod';
import { addDays, dayStart } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { parseSmartleadInstant, smartleadBody, type Campaign } from './schemas.js';

/**
 * The runway's pace: new leads contacted per day = first emails (sequence step 1) sent over the window, from each
 * campaign's statistics filtered by sent time. Follow-up steps are not new leads, and a paused or finished campaign
 * still sent what it sent, so every campaign that could have sent in the window counts, not only the active ones.
 */

const sequenceNumber = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
const sentCount = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

/**
 * `GET /campaigns/{id}/statistics?email_sequence_number=1&sent_time_start_date=…&sent_time_end_date=…`. The current
 * reference answers `{ ok, data: [{ sequence_number, sent, … }], offset, limit }`, one row per step with its count;
 * older docs list one row per email sent (`lead_email`, `sequence_number`, `sent_time`), which counts one each.
 */
export const statisticsPageSchema = smartleadBody(
  z
    .union([
      z.array(z.object({ sequence_number: sequenceNumber.nullish(), sent: sentCount.nullish() }).passthrough()),
      z.object({
        data: z.array(z.object({ sequence_number: sequenceNumber.nullish(), sent: sentCount.nullish() }).passthrough()),
        total_stats: z.unknown().optional(),
      }),
    ])
    .transform((page) => (Array.isArray(page) ? page : page.data)),
);
export type StatisticsRow = z.output<typeof statisticsPageSchema>[number];

/** First emails in one page: a step row adds its `sent`, a per-email row adds one; other steps add nothing. */
export function firstEmailsIn(rows: readonly StatisticsRow[]): number {
  let sent = 0;
  for (const row of rows) {
    if (row.sequence_number !== 1) continue;
    sent += typeof row.sent === 'number' ? row.sent : 1;
  }
  return sent;
}

/** The window: `days` complete calendar days ending yesterday (today is still sending). */
export function paceWindow(today: LocalDay, days: number): { from: LocalDay; to: LocalDay } {
  return { from: addDays(today, -days), to: addDays(today, -1) };
}

/** Campaigns that could have sent in the window: not drafts, and created before it ended. */
export function sentInWindow(campaign: Campaign, windowEnd: LocalDay, timezone: string): boolean {
  if (campaign.status.toUpperCase() === 'DRAFTED') return false;
  if (!campaign.created_at) return true;
  return parseSmartleadInstant(campaign.created_at).getTime() < dayStart(addDays(windowEnd, 1), timezone).getTime();
}
