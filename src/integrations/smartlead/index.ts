import { addDays, dayStart, daysInRange, localDayOf } from '../../metrics/periods.js';
import { isSourceError, SourceError } from '../errors.js';
import type { CollectedValue, Source, SourceContext } from '../source.js';
import { createSmartleadApi, SOURCE_ID, type SmartleadDeps } from './client.js';
import {
  averageContactedValue,
  isActive,
  leadsInQueueValue,
  runwayValue,
  sequencedValues,
  tallySequenced,
  type QueueFigures,
} from './collect.js';
import {
  parseSmartleadInstant,
  smartleadQuerySchema,
  smartleadSettingsSchema,
  type SmartleadQuery,
  type SmartleadQueryKind,
  type SmartleadSettings,
} from './schemas.js';
import { parseOrConfigError } from '../source-helpers.js';

const NOT_CONFIGURED = 'not configured: set SMARTLEAD_API_KEY';
const STOCK_KINDS: ReadonlySet<SmartleadQueryKind> = new Set(['leads_in_queue', 'avg_leads_contacted_per_day', 'lead_queue_runway']);

function stockValue(metricId: string, kind: SmartleadQueryKind, day: string, figures: QueueFigures): CollectedValue {
  if (kind === 'leads_in_queue') return leadsInQueueValue(metricId, day, figures);
  if (kind === 'avg_leads_contacted_per_day') return averageContactedValue(metricId, day, figures);
  return runwayValue(metricId, day, figures);
}

/**
 * Smartlead: leads queued in active campaigns, the average leads contacted per day over a trailing window, the
 * runway those give (stocks, today only), and new contacts sequenced per day (leads added to campaigns).
 */
export function createSmartleadSource(deps: SmartleadDeps = {}): Source<SmartleadSettings, SmartleadQuery> {
  const settingsFor = (ctx: SourceContext): SmartleadSettings =>
    parseOrConfigError(SOURCE_ID, smartleadSettingsSchema, ctx.config.sources[SOURCE_ID] ?? {}, 'sources.smartlead');

  return {
    id: SOURCE_ID,
    name: 'Smartlead',
    envVars: ['SMARTLEAD_API_KEY', 'SMARTLEAD_BASE_URL'],
    settingsSchema: smartleadSettingsSchema,
    querySchema: smartleadQuerySchema,
    configured: (env) => Boolean(env.SMARTLEAD_API_KEY?.trim()),

    async *collect(ctx, { from, to, metrics }) {
      const apiKey = ctx.env.SMARTLEAD_API_KEY?.trim();
      if (!apiKey) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
      const settings = settingsFor(ctx);
      const wanted = metrics.map((metric) => ({
        id: metric.id,
        kind: parseOrConfigError(SOURCE_ID, smartleadQuerySchema, metric.query, `metrics.${metric.id}.query`).kind,
      }));
      const timezone = ctx.config.org.timezone;
      const today = localDayOf(ctx.now, timezone);
      const stocks = today >= from && today <= to ? wanted.filter((metric) => STOCK_KINDS.has(metric.kind)) : [];
      const flows = from <= to ? wanted.filter((metric) => metric.kind === 'new_contacts_sequenced') : [];
      if (stocks.length === 0 && flows.length === 0) return;

      const api = createSmartleadApi(ctx, apiKey, settings, deps);
      const campaigns = await api.campaigns();

      if (stocks.length > 0) {
        const active = campaigns.filter(isActive);
        let queued = 0;
        for (const campaign of active) queued += await api.notStarted(campaign.id);
        const windowDays = settings.runway_window_days;
        // The queue alone needs no send history.
        const needsRate = stocks.some((metric) => metric.kind !== 'leads_in_queue');
        const contacted =
          needsRate && active.length > 0
            ? await api.uniqueLeadsContacted(
                active.map((campaign) => campaign.id),
                addDays(today, -windowDays),
                addDays(today, -1),
                timezone,
              )
            : 0;
        const figures: QueueFigures = { queued, contacted, windowDays };
        yield stocks.map((metric) => stockValue(metric.id, metric.kind, today, figures));
      }

      if (flows.length > 0) {
        const tally = new Map<string, number>();
        const rangeEnd = dayStart(addDays(to, 1), timezone).getTime();
        for (const campaign of campaigns) {
          // A campaign created after the range cannot have had leads added during it.
          if (campaign.created_at && parseSmartleadInstant(campaign.created_at).getTime() >= rangeEnd) continue;
          for await (const page of api.campaignLeads(campaign.id)) tallySequenced(tally, page, timezone, from, to);
        }
        const days = daysInRange(from, addDays(to, 1));
        yield flows.flatMap((metric) => sequencedValues(metric.id, days, tally));
      }
    },

    async check(ctx) {
      const apiKey = ctx.env.SMARTLEAD_API_KEY?.trim();
      if (!apiKey) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const campaigns = await createSmartleadApi(ctx, apiKey, settingsFor(ctx), deps).campaigns();
        return { ok: true, detail: `authenticated; ${campaigns.length} campaigns (${campaigns.filter(isActive).length} active)` };
      } catch (error) {
        if (isSourceError(error) && error.errorClass === 'auth') {
          return { ok: false, detail: `API key rejected: check SMARTLEAD_API_KEY (${error.message})` };
        }
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

export const smartleadSource = createSmartleadSource();
