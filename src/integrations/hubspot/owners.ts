import { z } from 'zod';
import type { SourceContext } from '../source.js';
import type { HubspotClient } from './client.js';
import { ownersPageSchema } from './schemas.js';

/**
 * Owner emails → HubSpot owner ids (`owners.id`, the value of `hubspot_owner_id` on records; not `userId`),
 * cached in sync state for a day so a refresh costs no owner calls.
 */

export const OWNERS_CACHE_KEY = 'hubspot:owners';
const CACHE_TTL_MS = 24 * 60 * 60 * 1000;
const PAGE_LIMIT = 100;

const cacheSchema = z.object({ fetchedAt: z.string(), byEmail: z.record(z.string(), z.string()) });

export interface OwnerResolution {
  ids: Set<string>;
  /** Emails that match no active owner. */
  unknown: string[];
}

/** Every active owner, paging `GET /crm/v3/owners`. */
export async function fetchOwners(client: HubspotClient): Promise<Map<string, string>> {
  const byEmail = new Map<string, string>();
  let after: string | undefined;
  do {
    const page = await client.get('/crm/v3/owners', ownersPageSchema, { limit: PAGE_LIMIT, after });
    for (const owner of page.results) {
      if (owner.email) byEmail.set(owner.email.toLowerCase(), owner.id);
    }
    after = page.paging?.next?.after;
  } while (after);
  return byEmail;
}

/**
 * The email → id map, from the cache when it is under a day old and knows every wanted email;
 * otherwise fetched once (a new rep shows up on the next run, not a day later).
 */
export async function ownerDirectory(
  ctx: Pick<SourceContext, 'state' | 'now' | 'logger'>,
  client: HubspotClient,
  wantedEmails: Iterable<string>,
): Promise<Map<string, string>> {
  const cached = await readCache(ctx);
  const wanted = [...wantedEmails];
  if (cached && wanted.every((email) => cached.has(email))) return cached;
  const byEmail = await fetchOwners(client);
  await ctx.state.set(OWNERS_CACHE_KEY, JSON.stringify({ fetchedAt: ctx.now.toISOString(), byEmail: Object.fromEntries(byEmail) }));
  return byEmail;
}

/** Owner refs (emails or numeric ids) → ids; unknown emails are reported, not fatal. */
export function resolveOwners(refs: readonly string[], byEmail: Map<string, string>): OwnerResolution {
  const ids = new Set<string>();
  const unknown: string[] = [];
  for (const ref of refs) {
    if (/^\d+$/.test(ref)) {
      ids.add(ref);
      continue;
    }
    const id = byEmail.get(ref.toLowerCase());
    if (id) ids.add(id);
    else unknown.push(ref);
  }
  return { ids, unknown };
}

async function readCache(ctx: Pick<SourceContext, 'state' | 'now' | 'logger'>): Promise<Map<string, string> | undefined> {
  const raw = await ctx.state.get(OWNERS_CACHE_KEY);
  if (!raw) return undefined;
  let parsed: z.output<typeof cacheSchema>;
  try {
    parsed = cacheSchema.parse(JSON.parse(raw));
  } catch {
    ctx.logger.warn({ source: 'hubspot' }, 'ignoring an unreadable HubSpot owners cache');
    return undefined;
  }
  const age = ctx.now.getTime() - Date.parse(parsed.fetchedAt);
  if (!(age >= 0 && age < CACHE_TTL_MS)) return undefined;
  return new Map(Object.entries(parsed.byEmail));
}
