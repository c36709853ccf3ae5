// SimpleFIN's credentials from the environment: env reading only (errors.ts imports nothing), no zod or HTTP,
// so connection.ts loads cheaply.
import { SourceError } from '../errors.js';
import type { Env } from '../source.js';

export const SOURCE_ID = 'simplefin';
export const ACCESS_URL_VAR = 'SIMPLEFIN_ACCESS_URL';
export const BASE_URL_VAR = 'SIMPLEFIN_BASE_URL';

/**
 * The access URL (`https://user:pass@host/path`) is itself the credential: it is split into Basic auth and a
 * credential-free base, and both the URL and the password are registered as secrets so no log or error shows them.
 */
export interface SimplefinCredentials {
  baseUrl: string;
  username: string;
  password: string;
  secrets: string[];
}

export function credentialsFromEnv(env: Env): SimplefinCredentials {
  const accessUrl = env[ACCESS_URL_VAR]?.trim();
  if (!accessUrl) throw new SourceError('config', SOURCE_ID, `${ACCESS_URL_VAR} is not set`);
  let parsed: URL;
  try {
    parsed = new URL(accessUrl);
  } catch {
    // Never echo the value: it is (or contains) the credential.
    throw new SourceError('config', SOURCE_ID, `${ACCESS_URL_VAR} is not a URL (expected https://user:pass@host/path)`);
  }
  const username = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  const secrets = [accessUrl, password, parsed.password, `${username}:${password}`];
  if (!username || !password || !/^https?:$/.test(parsed.protocol)) {
    throw new SourceError('config', SOURCE_ID, `${ACCESS_URL_VAR} has no user:pass (expected https://user:pass@host/path)`);
  }
  const override = env[BASE_URL_VAR]?.trim();
  const baseUrl = (override || `${parsed.protocol}//${parsed.host}${parsed.pathname}`).replace(/\/+$/, '');
  return { baseUrl, username, password, secrets };
}
