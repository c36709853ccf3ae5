import nock from 'nock';

/**
 * Google Ads bodies (provenance in fixtures/_sources.json) and a fake API. The customer's timezone is the org's; the
 * fortnight Mon 2026-10-26 … Sun 2026-11-08 crosses the end of DST (11-01). Days without cost have no row.
 *   10-26 120 505 000 µ (120.51), 10-28 9 990 000 (9.99), 11-01 250 000 000, 11-02 1 (0.00), 11-08 44 000 000
 */

export const ADS = 'https://googleads.googleapis.com';
export const TOKEN_HOST = 'http://127.0.0.1:9';
export const TOKEN_URL = `${TOKEN_HOST}/token`;
export const CUSTOMER = '1234567890';
export const STREAM = `/v21/customers/${CUSTOMER}/googleAds:searchStream`;
export const FROM = '2026-10-26';
export const TO = '2026-11-08';
export const NOW = new Date('2026-11-08T16:00:00Z');

export const tokenResponse = (accessToken: string) => ({
  access_token: accessToken,
  expires_in: 3599,
  scope: 'https://www.googleapis.com/auth/adwords',
  token_type: 'Bearer',
});

const row = (date: string, costMicros: string, currencyCode = 'USD') => ({
  customer: { resourceName: `customers/${CUSTOMER}`, currencyCode, timeZone: 'America/Chicago' },
  segments: { date },
  metrics: { costMicros },
});

export function streamBatches(currency = 'USD') {
  return [
    {
      results: [row('2026-10-26', '120505000', currency), row('2026-10-28', '9990000', currency), row('2026-11-01', '250000000', currency)],
      fieldMask: 'customer.currencyCode,customer.timeZone,segments.date,metrics.costMicros',
      requestId: 'kDz3PqRsTu1v2W3x',
    },
    {
      results: [row('2026-11-02', '1', currency), row('2026-11-08', '44000000', currency)],
      fieldMask: 'customer.currencyCode,customer.timeZone,segments.date,metrics.costMicros',
      requestId: 'kDz3PqRsTu1v2W3x',
    },
  ];
}

export function adsError(code: number, status: string, errorCode: Record<string, string>, message: string, retryDelay?: string) {
  return {
    error: {
      code,
      message: 'Request had an error; see details.',
      status,
      details: [
        {
          '@type': 'type.googleapis.com/google.ads.googleads.v21.errors.GoogleAdsFailure',
          errors: [
            {
              errorCode,
              message,
              ...(retryDelay
                ? { details: { quotaErrorDetails: { rateScope: 'ACCOUNT', rateName: 'Requests per service per method', retryDelay } } }
                : {}),
            },
          ],
          requestId: 'kDz3PqRsTu1v2W3x',
        },
      ],
    },
  };
}

export interface FakeAds {
  tokens: number;
  bodies: { query: string }[];
  headers: Record<string, string | string[] | undefined>[];
}

/** Tokens `ya29.ads-N` from the refresh grant; only the newest passes. */
export function fakeAds(currency = 'USD'): FakeAds {
  const fake: FakeAds = { tokens: 0, bodies: [], headers: [] };
  nock(TOKEN_HOST)
    .persist()
    .post('/token')
    .reply(() => [200, tokenResponse(`ya29.ads-${++fake.tokens}`)]);
  nock(ADS)
    .persist()
    .post(STREAM)
    .reply(function (_uri, body) {
      fake.headers.push({ ...this.req.headers });
      if (this.req.headers.authorization !== `Bearer ya29.ads-${fake.tokens}`) {
        return [
          401,
          adsError(401, 'UNAUTHENTICATED', { authenticationError: 'OAUTH_TOKEN_EXPIRED' }, 'The OAuth token in the request has expired.'),
        ];
      }
      fake.bodies.push(body as { query: string });
      return [200, streamBatches(currency)];
    });
  return fake;
}
