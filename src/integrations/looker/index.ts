import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { defineSource, type Source } from '../source.js';
import { lookerConnection } from './connection.js';
import { LookerApi, type LookerDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { collectLooker, NOT_CONFIGURED } from './collect.js';
import { SOURCE_ID } from './map.js';
import { lookerQuerySchema, lookerSettingsSchema, type LookerQuery, type LookerSettings } from './schemas.js';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check LOOKER_CLIENT_ID and LOOKER_CLIENT_SECRET (an API key of a Looker user), and LOOKER_BASE_URL (${error.message})`;
  }
  return errorMessage(error);
}

/**
 * Looker: each metric a saved Look or an inline query and the column to read; bucketed by a date column's day, or
 * today's snapshot of a stock without one. A Look feeding several metrics runs once per refresh.
 */
export function createLookerSource(deps: LookerDeps = {}): Source {
  return defineSource<LookerSettings, LookerQuery>({
    id: SOURCE_ID,
    name: 'Looker',
    envVars: ['LOOKER_CLIENT_ID', 'LOOKER_CLIENT_SECRET', 'LOOKER_BASE_URL'],
    // The instance URL is required here, not an override.
    credentials: ['LOOKER_BASE_URL', 'LOOKER_CLIENT_ID', 'LOOKER_CLIENT_SECRET'],
    settingsSchema: lookerSettingsSchema,
    querySchema: lookerQuerySchema,
    ...lookerConnection,
    collect: (ctx, request) => collectLooker(ctx, request, deps),
    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const me = await new LookerApi(ctx, credentials, ctx.settings, deps).me();
        return { ok: true, detail: `authenticated as ${me.display_name ?? `user ${me.id}`}` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  });
}

export const lookerSource = createLookerSource();
