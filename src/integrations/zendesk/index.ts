import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { redact } from '../redact.js';
import { anyOf, defineSource, type CheckResult, type LateChanges, type Source, type SourceRequest, type SourceRun } from '../source.js';
import { zendeskConnection } from './connection.js';
import { createZendeskApi, type ClientHooks } from './client.js';
import { collectZendesk } from './collect.js';
import { zendeskLateChanges } from './late.js';
import { zendeskQuerySchema, zendeskSettingsSchema, type ZendeskQuery, type ZendeskSettings } from './schemas.js';

/** Credentials first (`Source.envVars`), then the base URL override. */
export const ZENDESK_ENV_VARS = [
  'ZENDESK_SUBDOMAIN',
  'ZENDESK_EMAIL',
  'ZENDESK_API_TOKEN',
  'ZENDESK_OAUTH_TOKEN',
  'ZENDESK_BASE_URL',
] as const;

/** The queries that feed the daily support digest when `support.source` is `zendesk`. */
export const supportDigestQueries = {
  open_tickets: { query: { kind: 'open_tickets' }, aggregate: 'last', unit: 'count' },
  first_response_time: { query: { kind: 'first_reply_time' }, aggregate: 'ratio', unit: 'hours' },
  support_sla_breaches: { query: { kind: 'sla_breaches' }, aggregate: 'sum', unit: 'count' },
} as const satisfies Record<string, { query: ZendeskQuery; aggregate: string; unit: string }>;

export function createZendeskSource(hooks: ClientHooks = {}): Source {
  return defineSource<ZendeskSettings, ZendeskQuery>({
    id: 'zendesk',
    name: 'Zendesk',
    envVars: ZENDESK_ENV_VARS,
    credentials: ['ZENDESK_SUBDOMAIN', anyOf(['ZENDESK_EMAIL', 'ZENDESK_API_TOKEN'], ['ZENDESK_OAUTH_TOKEN'])],
    settingsSchema: zendeskSettingsSchema,
    querySchema: zendeskQuerySchema,
    ...zendeskConnection,
    collect: (ctx, request) => collectZendesk(ctx, request, hooks),
    lateChanges: (ctx, request) => lateChangesFor(ctx, request, hooks),
    check: (ctx) => checkZendesk(ctx, hooks),
  });
}

export const zendeskSource = createZendeskSource();

const NOTHING_LATE: LateChanges = { days: [], reasons: [], commit: async () => {} };

/** Only the flows have older days to correct: open tickets is today's stock. */
function lateChangesFor(ctx: SourceRun<ZendeskSettings>, request: SourceRequest<ZendeskQuery>, hooks: ClientHooks): Promise<LateChanges> {
  if (request.metrics.every((metric) => metric.query.kind === 'open_tickets')) return Promise.resolve(NOTHING_LATE);
  const api = createZendeskApi(ctx, ctx.settings, hooks);
  return zendeskLateChanges(ctx, { api, timezone: ctx.config.org.timezone, window: { from: request.from, to: request.to } });
}

async function checkZendesk(ctx: SourceRun<ZendeskSettings>, hooks: ClientHooks): Promise<CheckResult> {
  try {
    const { user } = await createZendeskApi(ctx, ctx.settings, hooks).currentUser();
    // Zendesk answers /users/me without credentials too, as an anonymous end user with a null id.
    if (user.id === null) {
      return {
        ok: false,
        detail:
          'not authenticated: Zendesk answered as an anonymous user; check ZENDESK_EMAIL and ZENDESK_API_TOKEN (or ZENDESK_OAUTH_TOKEN)',
      };
    }
    return { ok: true, detail: `authenticated as ${user.email ?? user.name ?? `user ${user.id}`} (${user.role ?? 'unknown role'})` };
  } catch (error) {
    if (isSourceError(error) && error.errorClass === 'auth') {
      return {
        ok: false,
        detail: `authentication failed: check ZENDESK_EMAIL and ZENDESK_API_TOKEN (or ZENDESK_OAUTH_TOKEN) — ${error.message}`,
      };
    }
    return { ok: false, detail: redact(errorMessage(error), [ctx.env.ZENDESK_API_TOKEN, ctx.env.ZENDESK_OAUTH_TOKEN]) };
  }
}
