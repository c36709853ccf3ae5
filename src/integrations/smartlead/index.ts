import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { defineSource, type Source } from '../source.js';
import { smartleadConnection } from './connection.js';
import { createSmartleadApi, SOURCE_ID, type SmartleadDeps } from './client.js';
import { collectSmartlead, NOT_CONFIGURED } from './collect.js';
import { isActive } from './map.js';
import { smartleadQuerySchema, smartleadSettingsSchema, type SmartleadQuery, type SmartleadSettings } from './schemas.js';

/**
 * Smartlead: leads queued in active campaigns, the average leads contacted per day over a trailing window, the
 * runway those give (stocks, today only), and new contacts sequenced per day (leads added to campaigns).
 */
export function createSmartleadSource(deps: SmartleadDeps = {}): Source {
  return defineSource<SmartleadSettings, SmartleadQuery>({
    id: SOURCE_ID,
    name: 'Smartlead',
    envVars: ['SMARTLEAD_API_KEY', 'SMARTLEAD_BASE_URL'],
    settingsSchema: smartleadSettingsSchema,
    querySchema: smartleadQuerySchema,
    ...smartleadConnection,
    collect: (ctx, request) => collectSmartlead(ctx, request, deps),
    async check(ctx) {
      const apiKey = ctx.env.SMARTLEAD_API_KEY?.trim();
      if (!apiKey) return { ok: false, detail: NOT_CONFIGURED };
      try {
        const campaigns = await createSmartleadApi(ctx, apiKey, ctx.settings, deps).campaigns();
        return { ok: true, detail: `authenticated; ${campaigns.length} campaigns (${campaigns.filter(isActive).length} active)` };
      } catch (error) {
        if (isSourceError(error) && error.errorClass === 'auth') {
          return { ok: false, detail: `API key rejected: check SMARTLEAD_API_KEY (${error.message})` };
        }
        return { ok: false, detail: errorMessage(error) };
      }
    },
  });
}

export const smartleadSource = createSmartleadSource();
