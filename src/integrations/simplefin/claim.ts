import { z } from 'zod';
import type { Logger } from 'pino';
import { SourceError } from '../errors.js';
import { createHttpClient } from '../http.js';
import { SOURCE_ID } from './credentials.js';

export interface ClaimOptions {
  /** Sends the claim to `<baseUrl>/claim/<id>` instead of the host in the token (sandbox, local test server). */
  baseUrl?: string;
  logger?: Logger;
}

/**
 * Exchanges a one-time SimpleFIN setup token (base64 of a claim URL) for the access URL to put in
 * `SIMPLEFIN_ACCESS_URL`. Not retried: a claim that reached the Bridge has spent the token.
 */
export async function claimSetupToken(token: string, opts: ClaimOptions = {}): Promise<string> {
  const trimmed = token.trim();
  const claimUrl = decodeClaimUrl(trimmed);
  const target = opts.baseUrl ? rebase(claimUrl, opts.baseUrl) : claimUrl;
  const http = createHttpClient({
    source: SOURCE_ID,
    baseURL: target.origin,
    limits: { default: { max: 1, perMs: 1000 } },
    retry: { maxRetries: 0 },
    secrets: [trimmed, claimUrl.href, target.href],
    classify: ({ status }) =>
      status === 403
        ? {
            errorClass: 'auth',
            retryable: false,
            message: 'setup token already used or invalid; if you did not claim it yourself, disable it in SimpleFIN Bridge',
          }
        : undefined,
    logger: opts.logger,
  });
  const body = await http.request({ method: 'POST', url: target.href, data: '', headers: { 'Content-Length': '0' } }, z.string());
  const accessUrl = body.trim();
  if (!isAccessUrl(accessUrl)) {
    throw new SourceError('bad_response', SOURCE_ID, 'the claim did not return an access URL (https://user:pass@host/path)');
  }
  return accessUrl;
}

function decodeClaimUrl(token: string): URL {
  const invalid = () => new SourceError('config', SOURCE_ID, 'that is not a SimpleFIN setup token (base64 of a claim URL)');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(token)) throw invalid();
  const decoded = Buffer.from(token, 'base64').toString('utf8').trim();
  try {
    const url = new URL(decoded);
    if (!/^https?:$/.test(url.protocol)) throw invalid();
    return url;
  } catch {
    throw invalid();
  }
}

function rebase(claimUrl: URL, baseUrl: string): URL {
  const at = claimUrl.pathname.lastIndexOf('/claim/');
  const rest = at >= 0 ? claimUrl.pathname.slice(at) : claimUrl.pathname;
  return new URL(`${baseUrl.replace(/\/+$/, '')}${rest}`);
}

function isAccessUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && url.username !== '' && url.password !== '';
  } catch {
    return false;
  }
}
