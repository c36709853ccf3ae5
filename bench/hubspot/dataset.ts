import type { FakeHubspotData, FakeOwner, FakePipeline } from './fake-hubspot.js';
import type { FakeRecord } from './search-engine.js';

/**
 * A deterministic year of HubSpot activity (seeded PRNG): five sales owners plus one outsider whose activity
 * must never be counted, ~50,000 calls, meetings and deals spread over working hours in the org timezone,
 * two deal pipelines with their own closed-won stages, deals with and without an `mrr` value.
 */

export const CONNECTED = 'f240bbac-87c9-4f6e-bf70-924b57d47db7';
const OTHER_DISPOSITIONS = [
  '73a0d17f-1163-4015-bdd5-ec830791da20',
  'b2cf5968-551e-4856-9783-52b3da59a7d0',
  '17b47fee-58de-441e-a44c-c6300d46f273',
];
const OUTCOMES = [
  'COMPLETED',
  'COMPLETED',
  'COMPLETED',
  'COMPLETED',
  'COMPLETED',
  'NO_SHOW',
  'CANCELED',
  'RESCHEDULED',
  'SCHEDULED',
  'SCHEDULED',
];

export const DEAL_PIPELINES: FakePipeline[] = [
  {
    id: 'default',
    label: 'Sales Pipeline',
    stages: [
      { id: 'appointmentscheduled', label: 'Appointment Scheduled', metadata: { isClosed: 'false', probability: '0.2' } },
      { id: 'contractsent', label: 'Contract Sent', metadata: { isClosed: 'false', probability: '0.9' } },
      { id: 'closedwon', label: 'Closed Won', metadata: { isClosed: 'true', probability: '1.0' } },
      { id: 'closedlost', label: 'Closed Lost', metadata: { isClosed: 'true', probability: '0.0' } },
    ],
  },
  {
    id: '75e28846',
    label: 'Renewals',
    stages: [
      { id: '9567448', label: 'Renewal due', metadata: { isClosed: 'false', probability: '0.5' } },
      { id: '9567449', label: 'Renewed', metadata: { isClosed: 'true', probability: '1.0' } },
      { id: '9567450', label: 'Churned', metadata: { isClosed: 'true', probability: '0.0' } },
    ],
  },
];
const DEAL_STAGES = [
  'appointmentscheduled',
  'contractsent',
  'closedwon',
  'closedwon',
  'closedlost',
  '9567448',
  '9567449',
  '9567449',
  '9567450',
];

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DatasetOptions {
  seed: number;
  /** First and last local day (inclusive) of activity. */
  from: string;
  to: string;
  timezone: string;
  callsPerOwnerDay: number;
  meetingsPerOwnerDay: number;
  dealsPerOwnerDay: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset (ms) at an instant. */
function zoneOffset(at: number, tz: string): number {
  let format = formatters.get(tz);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(at))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - Math.floor(at / 1000) * 1000;
}

/** The UTC instant of a local wall-clock time (minutes after local midnight), independent of the code under test. */
export function localInstant(day: string, minutes: number, tz: string): number {
  const guess = Date.parse(`${day}T00:00:00Z`) + minutes * 60_000;
  const first = guess - zoneOffset(guess, tz);
  return guess - zoneOffset(first, tz);
}

function* weekdays(from: string, to: string): Generator<string> {
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    const day = new Date(t);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) yield day.toISOString().slice(0, 10);
  }
}

export function generateDataset(options: DatasetOptions): FakeHubspotData {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const around = (mean: number) => Math.max(0, Math.round(mean * (0.6 + 0.8 * random())));
  const owners: FakeOwner[] = ['ava', 'ben', 'cleo', 'dev', 'eli'].map((name, i) => ({
    id: String(6166860 + i),
    email: `${name}@example.com`,
    firstName: name[0]!.toUpperCase() + name.slice(1),
    lastName: 'Seller',
  }));
  const outsider: FakeOwner = { id: '9000001', email: 'outsider@example.com', firstName: 'Out', lastName: 'Sider' };
  const calls: FakeRecord[] = [];
  const meetings: FakeRecord[] = [];
  const deals: FakeRecord[] = [];
  let nextId = 1;
  const workMinute = () => 8 * 60 + Math.floor(random() * 10 * 60);
  const iso = (ms: number) => new Date(ms).toISOString();

  for (const day of weekdays(options.from, options.to)) {
    for (const owner of [...owners, outsider]) {
      const share = owner === outsider ? 0.15 : 1;
      for (let n = around(options.callsPerOwnerDay * share); n > 0; n--) {
        calls.push({
          id: String(nextId++),
          properties: {
            hs_timestamp: iso(localInstant(day, workMinute(), options.timezone)),
            hubspot_owner_id: owner.id,
            hs_call_direction: random() < 0.85 ? 'OUTBOUND' : 'INBOUND',
            hs_call_disposition: random() < 0.12 ? CONNECTED : pick(OTHER_DISPOSITIONS),
          },
        });
      }
      for (let n = around(options.meetingsPerOwnerDay * share); n > 0; n--) {
        const start = localInstant(day, workMinute(), options.timezone);
        const created = start - Math.floor((1 + random() * 13) * 86_400_000) - Math.floor(random() * 3_600_000);
        meetings.push({
          id: String(nextId++),
          properties: {
            hs_createdate: iso(created),
            hs_meeting_start_time: iso(start),
            hs_meeting_outcome: pick(OUTCOMES),
            hubspot_owner_id: owner.id,
          },
        });
      }
      for (let n = around(options.dealsPerOwnerDay * share); n > 0; n--) {
        const amount = (500 + Math.floor(random() * 9_500_00) / 100).toFixed(2);
        deals.push({
          id: String(nextId++),
          properties: {
            closedate: iso(localInstant(day, workMinute(), options.timezone)),
            dealstage: pick(DEAL_STAGES),
            amount: random() < 0.95 ? amount : null,
            mrr: random() < 0.7 ? (Number(amount) / 12).toFixed(2) : random() < 0.5 ? '' : null,
            hubspot_owner_id: owner.id,
          },
        });
      }
    }
  }
  return { owners: [...owners, outsider], objects: { calls, meetings, deals }, pipelines: { deals: DEAL_PIPELINES } };
}
