import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { defineSource, type Source } from '../source.js';
import { autotaskConnection } from './connection.js';
import { connect, SOURCE_ID, type AutotaskDeps } from './client.js';
import { credentialsFrom } from './credentials.js';
import { collectAutotask, lateAutotaskChanges } from './collect.js';
import { autotaskQuerySchema, autotaskSettingsSchema, type AutotaskQuery, type AutotaskSettings } from './schemas.js';

function describeFailure(error: unknown): string {
  if (isSourceError(error) && error.errorClass === 'auth') {
    return `authentication failed: check AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE (${error.message})`;
  }
  return errorMessage(error);
}

/** Autotask PSA: tickets opened/closed and same-day close rate for one queue, utilization from time entries. */
export function createAutotaskSource(deps: AutotaskDeps = {}): Source {
  return defineSource<AutotaskSettings, AutotaskQuery>({
    id: SOURCE_ID,
    name: 'Autotask',
    envVars: ['AUTOTASK_USERNAME', 'AUTOTASK_SECRET', 'AUTOTASK_INTEGRATION_CODE', 'AUTOTASK_BASE_URL'],
    settingsSchema: autotaskSettingsSchema,
    querySchema: autotaskQuerySchema,
    ...autotaskConnection,
    collect: (ctx, request) => collectAutotask(ctx, request, deps),
    lateChanges: (ctx, request) => lateAutotaskChanges(ctx, request, deps),
    async check(ctx) {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials)
        return { ok: false, detail: 'not configured: set AUTOTASK_USERNAME, AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE' };
      try {
        const api = await connect(ctx, credentials, ctx.settings, deps);
        const active = await api.count('Resources', [{ op: 'eq', field: 'isActive', value: true }]);
        return { ok: true, detail: `authenticated; ${active} active resources` };
      } catch (error) {
        return { ok: false, detail: describeFailure(error) };
      }
    },
  });
}

export const autotaskSource = createAutotaskSource();
