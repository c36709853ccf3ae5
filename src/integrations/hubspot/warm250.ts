import { SourceError } from '../errors.js';
import { SEARCH_PAGE_LIMIT, SEARCH_RESULT_CAP, SOURCE_ID, type HubspotClient } from './client.js';
import { associationsBatchSchema, listMembershipsSchema, type HubspotSettings } from './schemas.js';

/**
 * The "Warm 250": engagements (calls, meetings, notes) associated with a fixed set of target contacts.
 *
 * CRM search cannot filter engagements by associated contact in any documented way, and search results carry
 * no associations, so we go from the contact side: fetch the contact ids once per run (list memberships, or a
 * contacts search on the configured property), then read each contact's associated engagement ids with the v4
 * associations batch read (up to 1,000 contacts per call). The windowed engagement searches then count a record
 * for a Warm-250 metric when its id is in that set. Cost: a handful of calls per run, whatever the date range;
 * memory: the engagement ids of ~250 contacts.
 */

export type EngagementType = 'calls' | 'meetings' | 'notes';

const MEMBERSHIP_PAGE_LIMIT = 250;
const ASSOCIATION_BATCH_LIMIT = 1_000;

export async function warmContactIds(client: HubspotClient, warm: NonNullable<HubspotSettings['warm250']>): Promise<string[]> {
  const ids = new Set<string>();
  if (warm.list_id) {
    let after: string | undefined;
    do {
      const page = await client.get(`/crm/v3/lists/${encodeURIComponent(warm.list_id)}/memberships`, listMembershipsSchema, {
        limit: MEMBERSHIP_PAGE_LIMIT,
        after,
      });
      for (const member of page.results) ids.add(member.recordId);
      after = page.paging?.next?.after;
    } while (after);
    return [...ids];
  }
  const property = warm.property;
  if (!property) return [];
  let after = '0';
  for (;;) {
    const page = await client.search('contacts', {
      filterGroups: [{ filters: [{ propertyName: property.name, operator: 'EQ', value: property.value }] }],
      sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' }],
      properties: ['hs_object_id'],
      limit: SEARCH_PAGE_LIMIT,
      after,
    });
    if (page.total > SEARCH_RESULT_CAP) {
      throw new SourceError(
        'config',
        SOURCE_ID,
        `warm250.property ${property.name} = "${property.value}" matches ${page.total} contacts; a target list must stay under ${SEARCH_RESULT_CAP}`,
      );
    }
    for (const contact of page.results) ids.add(contact.id);
    const next = page.paging?.next?.after;
    if (!next) break;
    after = next;
  }
  return [...ids];
}

/** Ids of every `toType` record associated with any of the contacts (all time; the date window applies later). */
export async function associatedIds(client: HubspotClient, contactIds: readonly string[], toType: EngagementType): Promise<Set<string>> {
  const found = new Set<string>();
  let inputs: { id: string; after?: string }[] = contactIds.map((id) => ({ id }));
  while (inputs.length > 0) {
    const batch = inputs.slice(0, ASSOCIATION_BATCH_LIMIT);
    inputs = inputs.slice(ASSOCIATION_BATCH_LIMIT);
    const body = await client.post(`/crm/v4/associations/contacts/${toType}/batch/read`, { inputs: batch }, associationsBatchSchema);
    for (const result of body.results) {
      for (const to of result.to) found.add(to.toObjectId);
      // Past 500 associations a contact's list continues from its own cursor.
      const after = result.paging?.next?.after;
      if (after) inputs.push({ id: result.from.id, after });
    }
  }
  return found;
}
