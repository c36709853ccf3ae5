import { describe, expect, it } from 'vitest';
import { firstEmailsIn, paceWindow, sentInWindow, statisticsPageSchema } from '../../../src/integrations/smartlead/first-emails.js';

/** specs/smartlead/examples/get-campaigns-id-statistics.json verbatim (the reference's 200 example). */
const statisticsExample = {
  ok: true,
  data: [
    { campaign_id: 123, sequence_number: 1, sent: 1240, opened: 372, clicked: 89, replied: 23, unsubscribed: 4, bounced: 18 },
    { campaign_id: 123, sequence_number: 2, sent: 892, opened: 267, clicked: 54, replied: 12, unsubscribed: 2, bounced: 9 },
  ],
  offset: 0,
  limit: 100,
};

describe('Smartlead runway pace on first emails', () => {
  it('counts sequence step 1 only from the documented statistics body (follow-ups are not new leads)', () => {
    const rows = statisticsPageSchema.parse(statisticsExample);
    expect(firstEmailsIn(rows)).toBe(1240);
  });

  it('counts one per row in the older per-email shape, at the top level', () => {
    const rows = statisticsPageSchema.parse([
      { lead_email: 'a@example.com', sequence_number: 1, sent_time: '2026-11-10T15:00:00Z' },
      { lead_email: 'b@example.com', sequence_number: '1', sent_time: '2026-11-11T15:00:00Z' },
      { lead_email: 'a@example.com', sequence_number: 2, sent_time: '2026-11-13T15:00:00Z' },
    ]);
    expect(firstEmailsIn(rows)).toBe(2);
  });

  it('paces over 14 complete calendar days ending yesterday, over every campaign that could have sent in them', () => {
    expect(paceWindow('2026-11-18', 14)).toEqual({ from: '2026-11-04', to: '2026-11-17' });
    const tz = 'America/Chicago';
    const campaign = (status: string, created_at?: string) => ({ id: 1, status, created_at });
    expect(sentInWindow(campaign('PAUSED', '2026-10-01T00:00:00Z'), '2026-11-17', tz)).toBe(true);
    expect(sentInWindow(campaign('COMPLETED'), '2026-11-17', tz)).toBe(true);
    expect(sentInWindow(campaign('DRAFTED'), '2026-11-17', tz)).toBe(false);
    // Created at 00:30 local on the 18th: after the window.
    expect(sentInWindow(campaign('ACTIVE', '2026-11-18T06:30:00Z'), '2026-11-17', tz)).toBe(false);
  });
});
