import type { WebClient } from '@slack/web-api';
import type { Store } from '../store/db.js';
import { cachedOwnerIds, saveOwnerId, type CachedOwnerId } from '../store/slack-owner-ids.js';
import { errorMessage } from '../errors.js';
import { configMentions, type Mentions } from './blocks.js';
import type { DigestLogger } from './client.js';

/**
 * Metric owners given as emails → Slack user ids, so digests and answers can mention them. In order: `slack.users`
 * from the config, a fresh entry of the store's cache, then `users.lookupByEmail` (its answer cached, a "no such
 * user" too). A lookup that fails otherwise (rate limit, network) falls back on the stale entry, or on no mention:
 * the owner then reads as `owner_name` or the email, and the post goes out all the same.
 */

const DAY_MS = 86_400_000;
/** People rarely change the email their Slack account uses; a week keeps lookups to one per owner per weekly post. */
export const OWNER_ID_TTL_MS = 7 * DAY_MS;
/** A miss is retried sooner: the person may just not have joined Slack yet. */
export const OWNER_NOT_FOUND_TTL_MS = DAY_MS;
/** Lookups in flight at once: Tier 3 (50+/min); the Web API client waits out any 429 itself. */
const LOOKUP_CONCURRENCY = 4;

export interface OwnerIdDeps {
  store: Store;
  /** `slack.users`: email → Slack user id, which always wins. */
  users: Readonly<Record<string, string>>;
  /** For `users.lookupByEmail`; without it only the config and the cache (stale entries too) are used. */
  client?: Pick<WebClient, 'users'>;
  now: Date;
  logger?: Pick<DigestLogger, 'warn'>;
}

const isEmail = (owner: string) => owner.includes('@');

function isFresh(entry: CachedOwnerId, now: Date): boolean {
  const ttl = entry.userId ? OWNER_ID_TTL_MS : OWNER_NOT_FOUND_TTL_MS;
  return now.getTime() - Date.parse(entry.resolvedAt) < ttl;
}

/** Every email owner of `owners` that Slack knows, as `Mentions` (lower-case email → user id). Never throws. */
export async function resolveOwnerIds(deps: OwnerIdDeps, owners: readonly (string | null | undefined)[]): Promise<Mentions> {
  const mentions = new Map(configMentions(deps.users));
  const emails = [...new Set(owners.filter((o): o is string => typeof o === 'string' && isEmail(o)).map((o) => o.toLowerCase()))].filter(
    (email) => !mentions.has(email),
  );
  if (emails.length === 0) return mentions;

  let cached: Map<string, CachedOwnerId>;
  try {
    cached = await cachedOwnerIds(deps.store, emails);
  } catch (error) {
    deps.logger?.warn({ err: errorMessage(error) }, 'could not read the owner cache; owners are not mentioned');
    return mentions;
  }
  const due: string[] = [];
  for (const email of emails) {
    const entry = cached.get(email);
    if (entry && (isFresh(entry, deps.now) || !deps.client)) {
      if (entry.userId) mentions.set(email, entry.userId);
    } else if (deps.client) {
      due.push(email);
    }
  }
  const { client } = deps;
  if (!client) return mentions;
  await eachBounded(due, LOOKUP_CONCURRENCY, async (email) => {
    const id = await lookUp(deps, client, email, cached.get(email));
    if (id) mentions.set(email, id);
  });
  return mentions;
}

async function lookUp(deps: OwnerIdDeps, client: Pick<WebClient, 'users'>, email: string, stale: CachedOwnerId | undefined) {
  let userId: string | null;
  try {
    userId = (await client.users.lookupByEmail({ email })).user?.id ?? null;
  } catch (error) {
    if ((error as { data?: { error?: unknown } }).data?.error !== 'users_not_found') {
      deps.logger?.warn(
        { err: (error as { data?: { error?: unknown } }).data?.error ?? errorMessage(error), cached: stale !== undefined },
        'users.lookupByEmail failed; the owner is mentioned as last resolved, or named',
      );
      return stale?.userId ?? null;
    }
    userId = null;
  }
  try {
    await saveOwnerId(deps.store, email, userId, deps.now);
  } catch (error) {
    deps.logger?.warn({ err: errorMessage(error) }, 'could not cache a Slack owner lookup');
  }
  return userId;
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachBounded<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
