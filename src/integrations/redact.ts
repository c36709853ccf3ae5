/**
 * Removes credentials from text before it reaches a log line, an error message, a stored row or Slack.
 * Two layers: generic credential shapes (bearer/basic headers, key-like query parameters, `user:pass@` in URLs)
 * and the exact values of the secrets a caller knows about, in the encodings they travel in.
 */

export const REDACTED = '[REDACTED]';

/** Shorter secrets would blank out ordinary words; credentials are never this short in practice. */
const MIN_SECRET_LENGTH = 4;

const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** Only base64 that decodes to `user:pass` is a credential; "Basic authentication" in prose is left alone. */
const BASIC = /\b(Basic)\s+([A-Za-z0-9+/]{4,}={0,2})/gi;
/** `Authorization: <anything>` as printed by HTTP libraries (covers `Token …`, `Bot …`, custom schemes). */
const AUTHORIZATION_HEADER = /(\bauthorization['"]?\s*[:=]\s*['"]?)[^'"\r\n,}]+/gi;

/** Query/form parameters (and `name: value` / `"name":"value"` pairs) whose values are credentials. */
const CREDENTIAL_NAMES =
  'h?api[_-]?key|access[_-]?token|refresh[_-]?token|id[_-]?token|token|client[_-]?secret|secret|password|passwd|key|sig|signature';
const CREDENTIAL_PARAM = new RegExp(`(^|[^A-Za-z0-9])((?:${CREDENTIAL_NAMES})=)[^&\\s"'#<>]+`, 'gi');
const CREDENTIAL_JSON = new RegExp(`("(?:${CREDENTIAL_NAMES}|authorization)"\\s*:\\s*")[^"]*(")`, 'gi');

/** `scheme://user:pass@host` (also with an empty user or password). */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@?#]*:[^\s/@?#]*@/gi;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms a secret is seen in on the wire: raw, URL-encoded, base64 (standard and URL-safe, with and without padding). */
export function secretVariants(secret: string): string[] {
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  const variants = new Set<string>([
    secret,
    encodeURIComponent(secret),
    encodeURI(secret),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url'),
  ]);
  return [...variants].filter((variant) => variant.length >= MIN_SECRET_LENGTH);
}

/** Builds a reusable redactor for a fixed set of secrets (compiles the pattern once). */
export function createRedactor(secrets: readonly (string | undefined | null)[]): (text: string) => string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    for (const variant of secretVariants(secret)) variants.add(variant);
  }
  // Longest first, so a secret that contains another is removed whole.
  const ordered = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const exact = ordered.length > 0 ? new RegExp(ordered.join('|'), 'g') : undefined;

  return (text: string): string => {
    let out = exact ? text.replace(exact, REDACTED) : text;
    out = out.replace(URL_USERINFO, `$1${REDACTED}@`);
    out = out.replace(AUTHORIZATION_HEADER, `$1${REDACTED}`);
    out = out.replace(BEARER, `$1 ${REDACTED}`);
    out = out.replace(BASIC, (match, scheme: string, encoded: string) =>
      Buffer.from(encoded, 'base64').toString('utf8').includes(':') ? `${scheme} ${REDACTED}` : match,
    );
    out = out.replace(CREDENTIAL_PARAM, `$1$2${REDACTED}`);
    out = out.replace(CREDENTIAL_JSON, `$1${REDACTED}$2`);
    return out;
  };
}

/** Redacts credential patterns and every given secret (with its encoded forms) from `text`. */
export function redact(text: string, secrets: readonly (string | undefined | null)[] = []): string {
  return createRedactor(secrets)(text);
}

/** Pino redact paths for anything that may carry a header or a credential inside a logged object. */
export const LOG_REDACT_PATHS = [
  'headers.authorization',
  'headers.Authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'req.headers.authorization',
  'config.headers',
  'config.auth',
  'auth',
  'password',
  'token',
  'accessUrl',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.password',
];
