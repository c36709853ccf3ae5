/**
 * Smartlead bodies. `overallStats` is specs/smartlead/examples/get-analytics-campaign-overall-stats.json with
 * values extended; `rateLimited` is error-429.json verbatim. The current reference wraps bodies in `{ ok, data }`
 * (get-campaigns-id-statistics.json); older docs and clients read them top-level — the fixtures use both.
 */

export const BASE = 'https://server.smartlead.ai';
export const ROOT = '/api/v1';

export const rateLimited = {
  error: { code: 'RATE_LIMIT_EXCEEDED', message: 'Too many requests. Please retry after 30 seconds.', retry_after: 30 },
};

function campaign(id: number, name: string, status: string, createdAt: string) {
  return {
    id,
    user_id: 2011,
    created_at: createdAt,
    updated_at: createdAt,
    status,
    name,
    track_settings: ['DONT_TRACK_EMAIL_OPEN'],
    scheduler_cron_value: { tz: 'America/Chicago', days: [1, 2, 3, 4, 5], endHour: '17:00', startHour: '09:00' },
    min_time_btwn_emails: 10,
    max_leads_per_day: 50,
    stop_lead_settings: 'REPLY_TO_AN_EMAIL',
    client_id: null,
    follow_up_percentage: 40,
  };
}

/** 104 is active but created after the fixture week, so its leads are not read for "new contacts sequenced". */
export const campaigns = [
  campaign(101, 'Q1 Cold Outreach', 'ACTIVE', '2026-09-01T14:00:00.000Z'),
  campaign(102, 'Partners', 'PAUSED', '2026-08-15T14:00:00.000Z'),
  campaign(103, 'Webinar follow-up', 'ACTIVE', '2026-10-20T14:00:00.000Z'),
  campaign(104, 'December push', 'ACTIVE', '2026-11-10T14:00:00.000Z'),
];

export function analytics(id: number, notStarted: number | string) {
  return {
    id,
    status: 'ACTIVE',
    sent_count: '1240',
    unique_sent_count: '980',
    open_count: '372',
    reply_count: '23',
    drafted_count: '450',
    campaign_lead_stats: {
      total: 2000,
      paused: 0,
      blocked: 4,
      stopped: 12,
      completed: 300,
      inprogress: 150,
      interested: 9,
      notStarted,
    },
  };
}

export function overallStats(rows: { id: number; unique_lead_count: number }[]) {
  return {
    ok: true,
    data: {
      campaign_wise_performance: rows.map((row) => ({
        id: row.id,
        campaign_name: `Campaign ${row.id}`,
        sent: row.unique_lead_count + 20,
        opened: 250,
        replied: 45,
        bounced: 8,
        open_rate: '50%',
        reply_rate: '9%',
        bounce_rate: '1.6%',
        positive_reply_rate: '5%',
        positive_replied: 25,
        unique_lead_count: row.unique_lead_count,
        unique_open_count: 230,
      })),
    },
  };
}

let nextLeadId = 5_000;
export function lead(createdAt: string) {
  const id = nextLeadId++;
  return {
    campaign_lead_map_id: `${id}00`,
    lead_category_id: null,
    status: 'STARTED',
    created_at: createdAt,
    lead: { id, first_name: 'Ada', last_name: 'Lovelace', email: `lead${id}@example.com`, company_name: 'Analytical Engines' },
  };
}

/**
 * Leads added to campaigns (created_at → America/Chicago day; DST ends 11-01):
 *   101 page 1 (100 leads, full page): 60 × 2026-10-29T15:00Z (10-29 10:00 CDT) → 10-29
 *                                      40 × 2026-11-02T05:30Z (11-01 23:30 CST) → 11-01
 *   101 page 2 (3 leads, last page):   2026-11-01T05:00Z (11-01 00:00 CDT) → 11-01
 *                                      2026-10-29T04:59Z (10-28 23:59 CDT) → before the range
 *                                      2026-11-05T06:00Z (11-05 00:00 CST) → after the range
 *   102 (envelope, one page):          2026-11-04T18:00Z → 11-04; 2026-11-02T06:00Z (11-02 00:00 CST) → 11-02
 *   103: no leads.
 * Per day: 10-29 60 · 10-30 0 · 10-31 0 · 11-01 41 · 11-02 1 · 11-03 0 · 11-04 1.
 */
export const leads101Page1 = [
  ...Array.from({ length: 60 }, () => lead('2026-10-29T15:00:00.000Z')),
  ...Array.from({ length: 40 }, () => lead('2026-11-02T05:30:00.000Z')),
];
export const leads101Page2 = [lead('2026-11-01T05:00:00.000Z'), lead('2026-10-29T04:59:00.000Z'), lead('2026-11-05T06:00:00.000Z')];
export const leads102 = [lead('2026-11-04T18:00:00.000Z'), lead('2026-11-02T06:00:00.000Z')];
