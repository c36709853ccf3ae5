import { addDays, dayStart, daysInRange, localDayOf } from '../../metrics/periods.js';
import { SourceError } from '../errors.js';
import type { CollectedValue, SourceRequest, SourceRun } from '../source.js';
import { createSmartleadApi, SOURCE_ID, type SmartleadDeps } from './client.js';
import {
  averageContactedValue,
  isActive,
  leadsInQueueValue,
  runwayValue,
  sequencedValues,
  tallySequenced,
  type QueueFigures,
} from './map.js';
import { parseSmartleadInstant, type SmartleadQuery, type SmartleadQueryKind, type SmartleadSettings } from './schemas.js';

export const NOT_CONFIGURED = 'not configured: set SMARTLEAD_API_KEY';
const STOCK_KINDS: ReadonlySet<SmartleadQueryKind> = new Set(['leads_in_queue', 'avg_leads_contacted_per_day', 'lead_queue_runway']);

function stockValue(metricId: string, kind: SmartleadQueryKind, day: string, figures: QueueFigures): CollectedValue {
  if (kind === 'leads_in_queue') return leadsInQueueValue(metricId, day, figures);
  if (kind === 'avg_leads_contacted_per_day') return averageContactedValue(metricId, day, figures);
  return runwayValue(metricId, day, figures);
}

export async function* collectSmartlead(
  ctx: SourceRun<SmartleadSettings>,
  { from, to, metrics }: SourceRequest<SmartleadQuery>,
  deps: SmartleadDeps,
): AsyncGenerator<CollectedValue[]> {
  const apiKey = ctx.env.SMARTLEAD_API_KEY?.trim();
  if (!apiKey) throw new SourceError('config', SOURCE_ID, NOT_CONFIGURED);
  const { settings } = ctx;
  const wanted = metrics.map((metric) => ({
    id: metric.id,
    kind: metric.query.kind,
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
}
