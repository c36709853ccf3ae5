import { z } from 'zod';
import type { SourceContext } from '../source.js';
import type { Metric } from '../../config/schema.js';
import type { HubspotClient } from './client.js';
import { ownersPageSchema, type HubspotQuery, type HubspotSettings } from './schemas.js';

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

/** Which owners a metric counts (its query, its owner, or the team). */
export type OwnedQuery = Extract<HubspotQuery, { object: 'calls' | 'conversations' | 'meetings' | 'deals' }>;

export function isOwned(query: HubspotQuery): query is OwnedQuery {
  return query.object === 'calls' || query.object === 'conversations' || query.object === 'meetings' || query.object === 'deals';
}

/** The team a metric counts when it names nobody: `sources.hubspot.owners`, else every owner (undefined). */
export function teamRefs(settings: HubspotSettings): string[] | undefined {
  return settings.owners.length > 0 ? settings.owners : undefined;
}

/** query.owners, else the metric owner when it is an email, else the team; undefined = every owner. */
export function ownerRefsFor(metric: Metric, query: OwnedQuery, settings: HubspotSettings): string[] | undefined {
  if (query.owners) return query.owners;
  if (metric.owner?.includes('@')) return [metric.owner.toLowerCase()];
  return teamRefs(settings);
}

/**
 * Owner ids a metric counts, with warnings. Named owners HubSpot does not know are left out. A metric owner that
 * is only implied (the catalog's `owner`, often a team address such as inside-sales@…) and is not a HubSpot owner
 * means a team metric: it counts the team instead, and says so.
 */
export function metricOwners(
  metric: Metric,
  query: OwnedQuery,
  settings: HubspotSettings,
  byEmail: Map<string, string>,
  warnings: string[],
): Set<string> | 'all' {
  const refs = ownerRefsFor(metric, query, settings);
  if (!refs) return 'all';
  const resolved = resolveOwners(refs, byEmail);
  const impliedByMetricOwner = !query.owners && metric.owner?.includes('@');
  if (impliedByMetricOwner && resolved.ids.size === 0) {
    const team = teamRefs(settings);
    warnings.push(`metric owner ${refs[0]} is not a HubSpot owner, so this counts ${team ? 'sources.hubspot.owners' : 'every owner'}`);
    if (!team) return 'all';
    const teamResolved = resolveOwners(team, byEmail);
    for (const email of teamResolved.unknown) warnings.push(`${email} is not an active HubSpot owner; their activity is not counted`);
    return teamResolved.ids;
  }
  for (const email of resolved.unknown) warnings.push(`${email} is not an active HubSpot owner; their activity is not counted`);
  return resolved.ids;
}

/**
 * Whether a metric counts records with no owner. Its own `include_unassigned` wins; a metric naming its owners, or
 * whose owner is one HubSpot user, never does; a team metric follows `sources.hubspot.include_unassigned`, which by
 * default is true only for a metric counting every owner (it has no owner filter at all).
 */
export function countsUnassigned(
  metric: Metric,
  query: OwnedQuery,
  settings: HubspotSettings,
  byEmail: Map<string, string>,
  owners: Set<string> | 'all',
): boolean {
  if (query.include_unassigned !== undefined) return query.include_unassigned;
  if (query.owners) return false;
  const individual = metric.owner?.includes('@') && resolveOwners([metric.owner.toLowerCase()], byEmail).ids.size > 0;
  if (individual) return false;
  return settings.include_unassigned ?? owners === 'all';
}
