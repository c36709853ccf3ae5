import type { WebClient } from '@slack/web-api';
import type { Runtime } from '../runtime.js';
import type { Mentions } from '../slack/blocks.js';
import { createSlackClient } from '../slack/client.js';
import { resolveOwnerIds } from '../slack/owner-ids.js';
import type { BotDeps } from './deps.js';

/**
 * Owners to mention in an answer (`/metric`, `/scorecard`): `slack.users`, the store's cache, then a lookup. The
 * answer threads have no Bolt client, so each runtime gets its own Web API client for lookups, one attempt with a
 * short timeout: a person waits for this answer, and an owner not resolved in time is named instead.
 */

const LOOKUP_TIMEOUT_MS = 5_000;
const clients = new WeakMap<Runtime, WebClient | null>();

function lookupClient(rt: Runtime): WebClient | undefined {
  let client = clients.get(rt);
  if (client === undefined) {
    const token = rt.env.SLACK_BOT_TOKEN;
    client = token
      ? createSlackClient({
          token,
          apiUrl: rt.env.SLACK_API_URL,
          logger: rt.logger,
          retryConfig: { retries: 0 },
          timeoutMs: LOOKUP_TIMEOUT_MS,
        })
      : null;
    clients.set(rt, client);
  }
  return client ?? undefined;
}

export function ownerMentionsFor(deps: BotDeps, owners: readonly (string | null | undefined)[]): Promise<Mentions> {
  const rt = deps.runtime;
  const client = lookupClient(rt);
  return resolveOwnerIds(
    { store: rt.store, users: rt.config.slack.users, now: deps.now(), logger: rt.logger, ...(client ? { client } : {}) },
    owners,
  );
}
