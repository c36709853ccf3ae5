// Datto's credentials from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export interface BcdrCredentials {
  publicKey: string;
  secretKey: string;
}

export interface RmmCredentials {
  apiKey: string;
  apiSecret: string;
}

export interface DattoCredentials {
  bcdr?: BcdrCredentials;
  rmm?: RmmCredentials;
}

export const BCDR_ENV = 'DATTO_BCDR_PUBLIC_KEY and DATTO_BCDR_SECRET_KEY';
export const RMM_ENV = 'DATTO_RMM_API_KEY and DATTO_RMM_API_SECRET';

/** Each API is usable on its own: an MSP may run Datto backup without Datto RMM, or the other way round. */
export function credentialsFrom(env: Env): DattoCredentials {
  const publicKey = env.DATTO_BCDR_PUBLIC_KEY?.trim();
  const secretKey = env.DATTO_BCDR_SECRET_KEY?.trim();
  const apiKey = env.DATTO_RMM_API_KEY?.trim();
  const apiSecret = env.DATTO_RMM_API_SECRET?.trim();
  return {
    ...(publicKey && secretKey ? { bcdr: { publicKey, secretKey } } : {}),
    ...(apiKey && apiSecret ? { rmm: { apiKey, apiSecret } } : {}),
  };
}
