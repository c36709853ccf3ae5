import nock from 'nock';
import { runSearch, type FakeRecord } from '../../../bench/hubspot/search-engine.js';
import { BASE, ownersPage, type SearchBody } from './helpers.js';

/**
 * A small stateful HubSpot portal behind nock: records per object type searched with the loopback search engine
 * (real filter, sort, paging and 10,000-cap semantics), properties that can be deleted (a search naming one answers
 * 400, shaped like the spec's `Error` with an `ErrorDetail`, `hubspot/examples/error.schema-example.json`), and 429s
 * on demand (`error-429-daily.json`'s search variant, "You have reached your secondly limit.").
 */

export const WON_STAGE = 'closedwon';

/** A deal pipeline shaped like `crm-v3-pipelines-tickets.Pipeline.schema-example.json`, with a closed-won stage. */
const dealPipelines = {
  results: [
    {
      archived: false,
      createdAt: '2019-10-30T03:30:17.883Z',
      displayOrder: 0,
      id: 'default',
      label: 'Sales Pipeline',
      stages: [
        {
          archived: false,
          displayOrder: 0,
          id: 'appointmentscheduled',
          label: 'Appointment Scheduled',
          metadata: { isClosed: 'false', probability: '0.2' },
        },
        { archived: false, displayOrder: 1, id: WON_STAGE, label: 'Closed Won', metadata: { isClosed: 'true', probability: '1.0' } },
      ],
      updatedAt: '2019-12-07T16:50:06.678Z',
    },
  ],
};

export function propertyMissing(name: string) {
  return {
    status: 'error',
    message: 'There was a problem with the request.',
    correlationId: 'aeb5f871-7f07-4993-9211-075dc63e7cbf',
    category: 'VALIDATION_ERROR',
    errors: [{ message: `Property "${name}" does not exist`, code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: [name] } }],
  };
}

/** `error-429-daily.json`, verbatim, and its search variant (no policyName, "secondly limit"). */
const DAILY = {
  status: 'error',
  message: 'You have reached your daily limit.',
  errorType: 'RATE_LIMIT',
  correlationId: 'c033cdaa-2c40-4a64-ae48-b4cec88dad24',
  policyName: 'DAILY',
  requestId: '3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd',
};
const SECONDLY = {
  status: 'error',
  message: 'You have reached your secondly limit.',
  errorType: 'RATE_LIMIT',
  correlationId: DAILY.correlationId,
  requestId: DAILY.requestId,
};

export class FakePortal {
  private readonly records = new Map<string, Map<string, FakeRecord>>();
  /** Each type's records as one array, rebuilt after a change (the search engine indexes per array). */
  private readonly arrays = new Map<string, FakeRecord[]>();
  readonly deleted = new Set<string>();
  readonly searches: { objectType: string; body: SearchBody }[] = [];
  /** Searches still to answer 429 (each takes one). */
  rateLimitSearches = 0;
  /** Which 429: the search API's per-second one (retried) or the daily one (final). */
  rateLimit: 'secondly' | 'daily' = 'secondly';
  /** Only searches whose body matches this answer 429 (all when unset). */
  rateLimitWhen: ((objectType: string, body: SearchBody) => boolean) | undefined;

  /** Sets a record's properties (a new object each time: the search engine caches per record object). */
  put(objectType: string, id: string, properties: Record<string, string | null>): void {
    const records = this.records.get(objectType) ?? new Map<string, FakeRecord>();
    records.set(id, { id, properties: { hs_object_id: id, ...properties } });
    this.records.set(objectType, records);
    this.arrays.delete(objectType);
  }

  /** Changes some properties of a record, as an edit in the portal does (hs_lastmodifieddate moves with it). */
  edit(objectType: string, id: string, changes: Record<string, string | null>, at: string): void {
    const current = this.records.get(objectType)?.get(id);
    if (!current) throw new Error(`no ${objectType} ${id}`);
    this.put(objectType, id, { ...current.properties, ...changes, hs_lastmodifieddate: at });
  }

  all(objectType: string): readonly FakeRecord[] {
    let array = this.arrays.get(objectType);
    if (!array) {
      array = [...(this.records.get(objectType)?.values() ?? [])].sort((a, b) => Number(a.id) - Number(b.id));
      this.arrays.set(objectType, array);
    }
    return array;
  }

  /** Answers the owners list, deal pipelines and every object search until `nock.cleanAll()`. */
  serve(): void {
    nock(BASE).persist().get('/crm/v3/owners').query(true).reply(200, ownersPage());
    nock(BASE).persist().get('/crm/v3/pipelines/deals').reply(200, dealPipelines);
    nock(BASE)
      .persist()
      .post(/^\/crm\/v3\/objects\/[a-z]+\/search$/)
      .reply((uri, raw) => {
        const objectType = uri.split('/')[4]!;
        const body = raw as SearchBody;
        this.searches.push({ objectType, body });
        if (this.rateLimitSearches > 0 && (this.rateLimitWhen?.(objectType, body) ?? true)) {
          this.rateLimitSearches -= 1;
          return [429, this.rateLimit === 'daily' ? DAILY : SECONDLY];
        }
        const named = [...body.properties, ...body.filterGroups.flatMap((g) => g.filters.map((f) => f.propertyName))];
        const gone = named.find((name) => this.deleted.has(name));
        if (gone) return [400, propertyMissing(gone)];
        return [200, runSearch(this.all(objectType), body)];
      });
  }
}
