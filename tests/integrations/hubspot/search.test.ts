import { describe, it, expect } from 'vitest';
import { MAX_IN_VALUES, ownerChunks, searchBody, searchWindow, type SearchSpec } from '../../../src/integrations/hubspot/search.js';
import type { HubspotClient, SearchBody } from '../../../src/integrations/hubspot/client.js';

const spec = (owners: SearchSpec['owners']): SearchSpec => ({
  key: 'calls',
  objectType: 'calls',
  dateProperty: 'hs_timestamp',
  extraFilters: [],
  properties: new Set(['hs_call_direction']),
  owners,
  unassigned: false,
});

describe('searching for more owners than one IN filter takes', () => {
  it('keeps one search for up to 100 owners and splits beyond, every owner exactly once', () => {
    const hundred = new Set(Array.from({ length: 100 }, (_, i) => String(1000 + i)));
    expect(ownerChunks(spec(hundred))).toHaveLength(1);
    expect(ownerChunks(spec('all'))).toHaveLength(1);

    const many = new Set(Array.from({ length: 250 }, (_, i) => String(1000 + i)));
    const chunks = ownerChunks(spec(many));
    expect(chunks.map((c) => (c.owners as Set<string>).size)).toEqual([100, 100, 50]);
    expect(new Set(chunks.flatMap((c) => [...(c.owners as Set<string>)]))).toEqual(many);
    for (const chunk of chunks) {
      const inFilter = searchBody(chunk, 0, 1, '0').filterGroups[0]!.filters.find((f) => f.operator === 'IN')!;
      expect(inFilter.values!.length).toBeLessThanOrEqual(MAX_IN_VALUES);
    }
  });

  it('runs one search per block for the same window and counts a record once', async () => {
    const bodies: SearchBody[] = [];
    const client = {
      search: async (_type: string, body: SearchBody) => {
        bodies.push(body);
        return {
          total: 1,
          results: [
            { id: '7', properties: { hs_timestamp: '500', hubspot_owner_id: '1000' }, createdAt: '', updatedAt: '', archived: false },
          ],
        };
      },
    } as unknown as HubspotClient;
    const seen: string[] = [];
    const many = new Set(Array.from({ length: 150 }, (_, i) => String(1000 + i)));
    await searchWindow(client, spec(many), 0, 1000, (r) => seen.push(r.id), { stopped: false });
    expect(bodies).toHaveLength(2);
    expect(seen).toEqual(['7']);
  });
});
