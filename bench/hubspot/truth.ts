import type { FakeHubspotData } from './fake-hubspot.js';

/**
 * Ground truth for the loopback HubSpot: per-owner figures computed straight from the dataset by the metrics'
 * definitions, with the timezone handled by Intl, independently of the code under test.
 */

export type Measure = 'dials' | 'ftas_set' | 'ftas_attended' | 'mrr_closed';

export interface TruthOptions {
  /** Inclusive local days. */
  from: string;
  to: string;
  timezone: string;
  /** Local day → bucket label (the day itself, or its week). */
  bucket: (day: string) => string;
}

export const truthKey = (measure: Measure, ownerId: string, bucket: string) => `${measure}|${ownerId}|${bucket}`;

/** Monday of the week holding a local day, by calendar arithmetic (no timezone involved). */
export function weekOf(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`);
  const monday = t - ((new Date(t).getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday).toISOString().slice(0, 10);
}

/** measure|owner|bucket → count, or cents for mrr_closed. Closed-won = closed with probability 1.0, any pipeline. */
export function groundTruth(data: FakeHubspotData, ownerIds: Set<string>, options: TruthOptions): Map<string, number> {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone: options.timezone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const truth = new Map<string, number>();
  const add = (measure: Measure, owner: string | null | undefined, iso: string | null | undefined, amount = 1) => {
    if (!owner || !ownerIds.has(owner) || !iso) return;
    const day = format.format(new Date(iso));
    if (day < options.from || day > options.to) return;
    const key = truthKey(measure, owner, options.bucket(day));
    truth.set(key, (truth.get(key) ?? 0) + amount);
  };
  const won = new Set(
    (data.pipelines.deals ?? []).flatMap((p) =>
      p.stages.filter((s) => s.metadata.isClosed === 'true' && Number(s.metadata.probability) === 1).map((s) => s.id),
    ),
  );
  for (const call of data.objects.calls ?? []) add('dials', call.properties.hubspot_owner_id, call.properties.hs_timestamp);
  for (const meeting of data.objects.meetings ?? []) {
    const p = meeting.properties;
    add('ftas_set', p.hubspot_owner_id, p.hs_createdate);
    if (p.hs_meeting_outcome === 'COMPLETED') add('ftas_attended', p.hubspot_owner_id, p.hs_meeting_start_time);
  }
  for (const deal of data.objects.deals ?? []) {
    const p = deal.properties;
    if (!won.has(p.dealstage ?? '')) continue;
    const money = p.mrr ? p.mrr : p.amount ? p.amount : '0';
    add('mrr_closed', p.hubspot_owner_id, p.closedate, Math.round(Number(money) * 100));
  }
  return truth;
}
