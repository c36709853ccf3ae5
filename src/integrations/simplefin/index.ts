import { errorMessage } from '../../errors.js';
import { localDayOf } from '../../metrics/periods.js';
import { redact } from '../redact.js';
import { defineSource, type Source, type SourceContext } from '../source.js';
import { simplefinConnection } from './connection.js';
import { ACCESS_URL_VAR, BASE_URL_VAR, SOURCE_ID } from './credentials.js';
import { collectSimplefin, fetchBalances, type SimplefinSourceHooks } from './collect.js';
import { callsToday, readCache } from './map.js';
import { simplefinQuerySchema, simplefinSettingsSchema, type SimplefinQuery, type SimplefinSettings } from './schemas.js';

export { claimSetupToken } from './claim.js';
export type { SimplefinSourceHooks } from './collect.js';

/** Cash position from SimpleFIN Bridge: the balance of the chosen accounts, today only, within the Bridge's daily quota. */
export function createSimplefinSource(hooks: SimplefinSourceHooks = {}): Source {
  return defineSource<SimplefinSettings, SimplefinQuery>({
    id: SOURCE_ID,
    name: 'SimpleFIN',
    envVars: [ACCESS_URL_VAR, BASE_URL_VAR],
    settingsSchema: simplefinSettingsSchema,
    querySchema: simplefinQuerySchema,
    ...simplefinConnection,
    collect: (ctx, request) => collectSimplefin(ctx, request, hooks),
    async check(ctx) {
      try {
        const { settings } = ctx;
        const today = localDayOf(ctx.now, ctx.config.org.timezone);
        const used = await callsToday(ctx.state, today);
        if (used >= settings.max_calls_per_day) {
          const cache = await readCache(ctx.state);
          const last = cache ? `; last balance fetched at ${cache.fetchedAt}` : '';
          return { ok: true, detail: `not called: today's quota of ${settings.max_calls_per_day} calls is used${last}` };
        }
        const snapshot = await fetchBalances(ctx, today, 0, hooks);
        const inCurrency = snapshot.accounts.filter((a) => a.currency.toUpperCase() === settings.currency.toUpperCase());
        const warnings = snapshot.warnings.length > 0 ? `; ${snapshot.warnings.length} warning(s): ${snapshot.warnings[0]}` : '';
        return {
          ok: true,
          detail: `${snapshot.accounts.length} account(s), ${inCurrency.length} in ${settings.currency}${warnings}`,
        };
      } catch (error) {
        return { ok: false, detail: redact(errorMessage(error), secretsOf(ctx)) };
      }
    },
  });
}

export const simplefinSource = createSimplefinSource();

function secretsOf(ctx: SourceContext): string[] {
  const accessUrl = ctx.env[ACCESS_URL_VAR];
  if (!accessUrl) return [];
  try {
    const url = new URL(accessUrl);
    return [accessUrl, url.password, decodeURIComponent(url.password)];
  } catch {
    return [accessUrl];
  }
}
