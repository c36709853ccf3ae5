import nock from 'nock';

/**
 * Meta Insights bodies (provenance in fixtures/_sources.json) and a fake Graph API. The fortnight is
 * Mon 2026-10-26 … Sun 2026-11-08; the ad account's timezone is the org's (America/Chicago), so Meta's days are
 * the org's days, 11-01 (25 hours) included. Days without delivery have no row.
 *
 *   page 1: 10-26 120.50, 10-27 99.99, 10-29 0.01, 11-01 250.00        page 2: 11-02 80.10, 11-07 5.40, 11-08 44.00
 */

export const GRAPH = 'https://graph.facebook.com';
export const ACCOUNT = 'act_1234567890';
export const INSIGHTS = `/v25.0/${ACCOUNT}/insights`;
export const FROM = '2026-10-26';
export const TO = '2026-11-08';
export const NOW = new Date('2026-11-08T16:00:00Z');

export const account = (currency = 'USD', timezone = 'America/Chicago') => ({
  id: ACCOUNT,
  name: 'Acme Ads',
  currency,
  timezone_name: timezone,
});

export const insightsRow = (day: string, spend: string) => ({
  account_id: '1234567890',
  account_currency: 'USD',
  spend,
  date_start: day,
  date_stop: day,
});

export function insightsPage(rows: ReturnType<typeof insightsRow>[], after: string, more: boolean) {
  return {
    data: rows,
    paging: {
      cursors: { before: 'MAZDZD', after },
      ...(more ? { next: `${GRAPH}${INSIGHTS}?after=${after}&limit=100` } : {}),
    },
  };
}

export const PAGE_1 = insightsPage(
  [
    insightsRow('2026-10-26', '120.50'),
    insightsRow('2026-10-27', '99.99'),
    insightsRow('2026-10-29', '0.01'),
    insightsRow('2026-11-01', '250.00'),
  ],
  'MjQZD',
  true,
);
export const PAGE_2 = insightsPage(
  [insightsRow('2026-11-02', '80.10'), insightsRow('2026-11-07', '5.40'), insightsRow('2026-11-08', '44')],
  'NzQZD',
  false,
);

export const graphError = (code: number, message: string, subcode?: number) => ({
  error: { message, type: 'OAuthException', code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: 'AbCdEfGhIjK' },
});

export const usageHeaders = (pct: number, regainMinutes = 0) => ({
  'X-Business-Use-Case-Usage': JSON.stringify({
    '1234567890': [
      {
        type: 'ads_insights',
        call_count: pct,
        total_cputime: Math.floor(pct / 2),
        total_time: Math.floor(pct / 2),
        estimated_time_to_regain_access: regainMinutes,
      },
    ],
  }),
  'X-Ad-Account-Usage': JSON.stringify({ acc_id_util_pct: Math.floor(pct / 3), reset_time_duration: 0 }),
});

/** The account and both pages of insights, at low usage; records each insights query. */
export function fakeGraph(): URLSearchParams[] {
  const calls: URLSearchParams[] = [];
  nock(GRAPH)
    .persist()
    .get(`/v25.0/${ACCOUNT}`)
    .query(true)
    .reply(200, account(), usageHeaders(2))
    .get(INSIGHTS)
    .query(true)
    .reply((uri) => {
      const params = new URL(uri, GRAPH).searchParams;
      calls.push(params);
      return [200, params.get('after') === 'MjQZD' ? PAGE_2 : PAGE_1, usageHeaders(5)];
    });
  return calls;
}
