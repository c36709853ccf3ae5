import { firstEmailsIn, statisticsPageSchema } from './first-emails.js';
import type { z } from 'zod';
import { createHttpClient, limitsFromSettings } from '../http.js';
import type { HttpClient, HttpClientOptions } from '../http-types.js';
import type { SourceContext } from '../source.js';
import {
  campaignAnalyticsSchema,
  campaignLeadsPageSchema,
  campaignListSchema,
  type Campaign,
  type CampaignLead,
  type SmartleadSettings,
} from './schemas.js';

export const SOURCE_ID = 'smartlead';
export const DEFAULT_BASE_URL = 'https://server.smartlead.ai/api/v1';
/**
 * The strictest published limit is 60 per minute with bursts of 10 per second (older docs: 10 per 2 s);
 * one request per second stays inside every plan.
 */
export const SMARTLEAD_LIMITS = { default: { max: 1, perMs: 1000 } };
export const LEADS_PAGE_SIZE = 100;

export interface SmartleadDeps {
  sleep?: HttpClientOptions['sleep'];
  random?: HttpClientOptions['random'];
}

/** The statistics endpoint's documented maximum page. */
const STATISTICS_PAGE_SIZE = 1000;

export class SmartleadApi {
  constructor(
    readonly http: HttpClient,
    private readonly apiKey: string,
  ) {}

  /** Every call carries `api_key` in the query string; the client redacts it from logs and errors. */
  private get<S extends z.ZodTypeAny>(url: string, schema: S, params: Record<string, string | number> = {}): Promise<z.output<S>> {
    return this.http.request({ url, params: { ...params, api_key: this.apiKey } }, schema);
  }

  campaigns(): Promise<Campaign[]> {
    return this.get('campaigns', campaignListSchema);
  }

  async notStarted(campaignId: number): Promise<number> {
    const analytics = await this.get(`campaigns/${campaignId}/analytics`, campaignAnalyticsSchema);
    return analytics.campaign_lead_stats.notStarted;
  }

  /**
   * First emails (sequence step 1) a campaign sent in `[start, end)`, from its statistics filtered by sent time and
   * step; pages (offset/limit, up to 1,000 rows) until a short page.
   */
  async firstEmailsSent(campaignId: number, start: Date, end: Date): Promise<number> {
    let sent = 0;
    for (let offset = 0; ; offset += STATISTICS_PAGE_SIZE) {
      const rows = await this.get(`campaigns/${campaignId}/statistics`, statisticsPageSchema, {
        email_sequence_number: 1,
        sent_time_start_date: start.toISOString(),
        sent_time_end_date: end.toISOString(),
        offset,
        limit: STATISTICS_PAGE_SIZE,
      });
      sent += firstEmailsIn(rows);
      if (rows.length < STATISTICS_PAGE_SIZE) return sent;
    }
  }

  /** Pages through a campaign's leads (offset/limit) until a short page or the reported total. */
  async *campaignLeads(campaignId: number): AsyncGenerator<CampaignLead[]> {
    for (let offset = 0; ; offset += LEADS_PAGE_SIZE) {
      const page = await this.get(`campaigns/${campaignId}/leads`, campaignLeadsPageSchema, { offset, limit: LEADS_PAGE_SIZE });
      yield page.leads;
      const seen = offset + page.leads.length;
      if (page.leads.length < LEADS_PAGE_SIZE || (page.total !== undefined && seen >= page.total)) return;
    }
  }
}

export function createSmartleadApi(ctx: SourceContext, apiKey: string, settings: SmartleadSettings, deps: SmartleadDeps): SmartleadApi {
  const base = ctx.env.SMARTLEAD_BASE_URL?.trim() || DEFAULT_BASE_URL;
  const http = createHttpClient({
    source: SOURCE_ID,
    baseURL: `${base.replace(/\/+$/, '')}/`,
    limits: limitsFromSettings(SMARTLEAD_LIMITS, settings.rate_limit),
    maxConcurrency: 1,
    secrets: [apiKey],
    logger: ctx.logger,
    stats: ctx.stats,
    sleep: deps.sleep,
    random: deps.random,
  });
  return new SmartleadApi(http, apiKey);
}
