import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * One-time sign-in links: `PUBLIC_URL/signin?token=…`, the token being a base64url JSON payload (who, expiry, a random
 * nonce) and its HMAC-SHA256 under WEB_SESSION_SECRET. The signature proves Scorecard made it; the expiry bounds it to
 * 10 minutes; the nonce, recorded when the link is used (web_link_uses), makes it usable once.
 */

export const LINK_TTL_MS = 10 * 60_000;

export interface LinkClaims {
  userId: string;
  expiresAt: number;
  nonce: string;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' };

const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(payload).digest();

export function signLinkToken(secret: string, userId: string, now: Date, ttlMs = LINK_TTL_MS): string {
  const claims = { u: userId, e: now.getTime() + ttlMs, n: randomBytes(16).toString('base64url') };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${mac(secret, payload).toString('base64url')}`;
}

export function verifyLinkToken(secret: string, token: string, now: Date): LinkCheck {
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const { u, e, n } = (claims ?? {}) as { u?: unknown; e?: unknown; n?: unknown };
  if (typeof u !== 'string' || typeof e !== 'number' || typeof n !== 'string' || u === '') return { ok: false, reason: 'malformed' };
  if (e <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { userId: u, expiresAt: e, nonce: n } };
}

/** The link a person opens; PUBLIC_URL may carry a path prefix (behind a proxy). `next`: the page to land on. */
export function signInLink(publicUrl: string, token: string, next?: string): string {
  const base = publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
  const landing = next && safeNext(next) !== DEFAULT_LANDING ? `&next=${encodeURIComponent(next)}` : '';
  return `${base}signin?token=${encodeURIComponent(token)}${landing}`;
}

export const DEFAULT_LANDING = '/scorecard';

/** Only our own pages are landing places: never another origin (`//evil`, `https://…`) or a path outside the app. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(scorecard|metrics|entries|settings)(\/[A-Za-z0-9_.-]+)*$/.test(next) ? next : DEFAULT_LANDING;
}
