import { errorMessage } from '../../errors.js';
import { isSourceError } from '../errors.js';
import { anyOf, defineSource, type CheckResult, type Source } from '../source.js';
import { dattoConnection } from './connection.js';
import { createBcdrApi, createRmmApi, SOURCE_ID, type DattoDeps, type TokenCache } from './client.js';
import { BCDR_ENV, credentialsFrom, RMM_ENV } from './credentials.js';
import { collectDatto, NOT_CONFIGURED } from './collect.js';
import { dattoQuerySchema, dattoSettingsSchema, type DattoQuery, type DattoSettings } from './schemas.js';

function describeFailure(error: unknown, envNames: string): string {
  if (isSourceError(error) && error.errorClass === 'auth') return `credentials rejected: check ${envNames} (${error.message})`;
  return errorMessage(error);
}

/**
 * Datto: protected backup assets failing or without a snapshot for too long (BCDR), and managed devices behind
 * on patches (RMM). Both are stocks: one value for today, and only when today is in the requested window.
 */
export function createDattoSource(deps: DattoDeps = {}): Source {
  const tokens: TokenCache = new Map();
  return defineSource<DattoSettings, DattoQuery>({
    id: SOURCE_ID,
    name: 'Datto',
    envVars: [
      'DATTO_BCDR_PUBLIC_KEY',
      'DATTO_BCDR_SECRET_KEY',
      'DATTO_RMM_API_KEY',
      'DATTO_RMM_API_SECRET',
      'DATTO_BCDR_BASE_URL',
      'DATTO_RMM_BASE_URL',
    ],
    credentials: [anyOf(['DATTO_BCDR_PUBLIC_KEY', 'DATTO_BCDR_SECRET_KEY'], ['DATTO_RMM_API_KEY', 'DATTO_RMM_API_SECRET'])],
    settingsSchema: dattoSettingsSchema,
    querySchema: dattoQuerySchema,
    ...dattoConnection,
    collect: (ctx, request) => collectDatto(ctx, request, deps, tokens),
    async check(ctx): Promise<CheckResult> {
      const credentials = credentialsFrom(ctx.env);
      if (!credentials.bcdr && !credentials.rmm) return { ok: false, detail: NOT_CONFIGURED };
      const { settings } = ctx;
      const parts: { ok: boolean; detail: string }[] = [];
      if (credentials.bcdr) {
        try {
          const devices = await createBcdrApi(ctx, credentials.bcdr, settings, deps).deviceCount();
          parts.push({ ok: true, detail: `BCDR: authenticated; ${devices} device(s)` });
        } catch (error) {
          parts.push({ ok: false, detail: `BCDR: ${describeFailure(error, BCDR_ENV)}` });
        }
      } else parts.push({ ok: true, detail: `BCDR: not configured (set ${BCDR_ENV})` });
      if (credentials.rmm) {
        try {
          const account = await createRmmApi(ctx, credentials.rmm, settings, deps, tokens).account();
          const devices = account.devicesStatus?.numberOfDevices;
          parts.push({
            ok: true,
            detail: `RMM: authenticated${account.name ? ` as ${account.name}` : ''}${typeof devices === 'number' ? `; ${devices} device(s)` : ''}`,
          });
        } catch (error) {
          parts.push({ ok: false, detail: `RMM: ${describeFailure(error, RMM_ENV)}` });
        }
      } else parts.push({ ok: true, detail: `RMM: not configured (set ${RMM_ENV})` });
      return { ok: parts.every((part) => part.ok), detail: parts.map((part) => part.detail).join('; ') };
    },
  });
}

export const dattoSource = createDattoSource();
