import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { redact } from '../redact.js';
import { defineSource, type CheckResult, type Source, type SourceRun } from '../source.js';
import { livechatConnection } from './connection.js';
import { createLivechatApi, type ClientHooks } from './client.js';
import { collectLivechat } from './collect.js';
import { livechatQuerySchema, livechatSettingsSchema, type LivechatQuery, type LivechatSettings } from './schemas.js';

export const LIVECHAT_ENV_VARS = ['LIVECHAT_ACCOUNT_ID', 'LIVECHAT_PAT', 'LIVECHAT_BASE_URL'] as const;

/** The queries that feed the daily support digest when `support.source` is `livechat`. */
export const supportDigestQueries = {
  open_tickets: { query: { kind: 'open_chats' }, aggregate: 'last', unit: 'count' },
  first_response_time: { query: { kind: 'first_response_time' }, aggregate: 'ratio', unit: 'hours' },
} as const satisfies Record<string, { query: LivechatQuery; aggregate: string; unit: string }>;

export function createLivechatSource(hooks: ClientHooks = {}): Source {
  return defineSource<LivechatSettings, LivechatQuery>({
    id: 'livechat',
    name: 'LiveChat',
    envVars: LIVECHAT_ENV_VARS,
    settingsSchema: livechatSettingsSchema,
    querySchema: livechatQuerySchema,
    ...livechatConnection,
    collect: (ctx, request) => collectLivechat(ctx, request, hooks),
    check: (ctx) => checkLivechat(ctx, hooks),
  });
}

export const livechatSource = createLivechatSource();

async function checkLivechat(ctx: SourceRun<LivechatSettings>, hooks: ClientHooks): Promise<CheckResult> {
  try {
    const agents = await createLivechatApi(ctx, ctx.settings, hooks).listAgents();
    return { ok: true, detail: `authenticated to LiveChat account ${ctx.env.LIVECHAT_ACCOUNT_ID?.trim()}, ${agents.length} agents` };
  } catch (error) {
    if (isSourceError(error) && error.errorClass === 'auth') {
      return {
        ok: false,
        detail: `authentication failed: check LIVECHAT_ACCOUNT_ID and LIVECHAT_PAT (scopes reports_read, chats--all:ro, agents--all:ro) — ${error.message}`,
      };
    }
    return { ok: false, detail: redact(errorMessage(error), [ctx.env.LIVECHAT_PAT]) };
  }
}
