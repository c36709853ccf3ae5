import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { redact } from '../redact.js';
import { defineSource, type CheckResult, type LateChanges, type Source, type SourceRequest, type SourceRun } from '../source.js';
import { intercomConnection } from './connection.js';
import { createIntercomApi, type ClientHooks } from './client.js';
import { collectIntercom } from './collect.js';
import { intercomLateChanges } from './late.js';
import { intercomQuerySchema, intercomSettingsSchema, type IntercomQuery, type IntercomSettings } from './schemas.js';

export const INTERCOM_ENV_VARS = ['INTERCOM_ACCESS_TOKEN', 'INTERCOM_BASE_URL'] as const;

/** The queries that feed the daily support digest when `support.source` is `intercom`. */
export const supportDigestQueries = {
  open_tickets: { query: { kind: 'open_conversations' }, aggregate: 'last', unit: 'count' },
  first_response_time: { query: { kind: 'first_response' }, aggregate: 'ratio', unit: 'hours' },
  support_sla_breaches: { query: { kind: 'sla_breaches' }, aggregate: 'sum', unit: 'count' },
} as const satisfies Record<string, { query: IntercomQuery; aggregate: string; unit: string }>;

export function createIntercomSource(hooks: ClientHooks = {}): Source {
  return defineSource<IntercomSettings, IntercomQuery>({
    id: 'intercom',
    name: 'Intercom',
    envVars: INTERCOM_ENV_VARS,
    settingsSchema: intercomSettingsSchema,
    querySchema: intercomQuerySchema,
    ...intercomConnection,
    collect: (ctx, request) => collectIntercom(ctx, request, hooks),
    lateChanges: (ctx, request) => lateChangesFor(ctx, request, hooks),
    check: (ctx) => checkIntercom(ctx, hooks),
  });
}

export const intercomSource = createIntercomSource();

const NOTHING_LATE: LateChanges = { days: [], reasons: [], commit: async () => {} };

/** Only the flows have older days to correct: open conversations is today's stock. */
function lateChangesFor(ctx: SourceRun<IntercomSettings>, request: SourceRequest<IntercomQuery>, hooks: ClientHooks): Promise<LateChanges> {
  if (request.metrics.every((metric) => metric.query.kind === 'open_conversations')) return Promise.resolve(NOTHING_LATE);
  const api = createIntercomApi(ctx, ctx.settings, hooks);
  return intercomLateChanges(ctx, { api, timezone: ctx.config.org.timezone, window: { from: request.from, to: request.to } });
}

async function checkIntercom(ctx: SourceRun<IntercomSettings>, hooks: ClientHooks): Promise<CheckResult> {
  try {
    const admin = await createIntercomApi(ctx, ctx.settings, hooks).currentAdmin();
    const workspace = admin.app?.name ? ` in workspace ${admin.app.name}` : '';
    return { ok: true, detail: `authenticated as ${admin.email ?? admin.name ?? `admin ${admin.id}`}${workspace}` };
  } catch (error) {
    if (isSourceError(error) && error.errorClass === 'auth') {
      return {
        ok: false,
        detail: `authentication failed: check INTERCOM_ACCESS_TOKEN (and the region / INTERCOM_BASE_URL) — ${error.message}`,
      };
    }
    return { ok: false, detail: redact(errorMessage(error), [ctx.env.INTERCOM_ACCESS_TOKEN]) };
  }
}
