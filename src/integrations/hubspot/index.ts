import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { defineSource, type CheckResult, type Source, type SourceRun } from '../source.js';
import { hubspotConnection } from './connection.js';
import { createHubspotClient, type HubspotClient, type HubspotDeps } from './client.js';
import { collectHubspot } from './collect.js';
import { hubspotLateChanges } from './late.js';
import { fetchOwners, resolveOwners } from './owners.js';
import { querySchema, settingsSchema, type HubspotQuery, type HubspotSettings } from './schemas.js';

export { stageLabels } from './pipelines.js';
export { querySchema, settingsSchema, type HubspotQuery, type HubspotSettings } from './schemas.js';

/**
 * HubSpot CRM: dials, conversations with a decision maker, FTAs set and attended, MRR closed, MQLs, open tickets
 * and ticket first response, per owner, through CRM v3 search (see collect.ts for the request pattern).
 */
export function createHubspotSource(deps: HubspotDeps = {}): Source {
  return defineSource<HubspotSettings, HubspotQuery>({
    id: 'hubspot',
    name: 'HubSpot',
    envVars: ['HUBSPOT_ACCESS_TOKEN', 'HUBSPOT_BASE_URL'],
    settingsSchema,
    querySchema,
    ...hubspotConnection,
    collect: (ctx, request) => collectHubspot(ctx, request, deps),
    lateChanges: (ctx, request) => hubspotLateChanges(ctx, request, deps),
    check: (ctx) => checkHubspot(ctx, deps),
  });
}

export const hubspotSource = createHubspotSource();

/** Pages the owners list (one call for most portals): proves the token and the owners scope, counts owners. */
async function checkHubspot(ctx: SourceRun<HubspotSettings>, deps: HubspotDeps): Promise<CheckResult> {
  let client: HubspotClient | undefined;
  try {
    const { settings } = ctx;
    client = createHubspotClient(ctx, settings, deps);
    const byEmail = await fetchOwners(client);
    const missing = resolveOwners(settings.owners, byEmail).unknown;
    const detail = `${byEmail.size} owners visible${missing.length > 0 ? `; not found: ${missing.join(', ')}` : ''}`;
    return { ok: true, detail };
  } catch (error) {
    if (isSourceError(error)) return { ok: false, detail: error.message };
    const text = errorMessage(error);
    return { ok: false, detail: client ? client.http.redact(text) : text };
  }
}
