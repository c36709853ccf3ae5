import { verify } from 'node:crypto';

/** Pieces of the loopback Google fakes (tests/helpers/fake-sheets.ts): A1 ranges, and the JWT-grant check of Google's token endpoint. */

export type Cell = string | number | boolean;

const GOOGLE_TOKEN_AUD = 'https://oauth2.googleapis.com/token';
const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

/**
 * Why the token endpoint refuses a JWT-bearer grant (RFC 7523), or undefined when it accepts it: an RS256 signature
 * that verifies against the service account's public key, its issuer, the Sheets scope, Google's token URL as
 * audience, and a lifetime of at most an hour.
 */
export function jwtGrantProblem(form: URLSearchParams, account: { publicKeyPem: string; clientEmail: string }): string | undefined {
  if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return 'Invalid grant_type';
  const [header, payload, signature] = (form.get('assertion') ?? '').split('.');
  if (!header || !payload || !signature) return 'Invalid JWT';
  const alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }).alg;
  const signed =
    alg === 'RS256' && verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), account.publicKeyPem, Buffer.from(signature, 'base64url'));
  if (!signed) return 'Invalid JWT Signature.';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as {
    iss?: string;
    scope?: string;
    aud?: string;
    exp?: number;
    iat?: number;
  };
  const now = Math.floor(Date.now() / 1000);
  if (claims.iss !== account.clientEmail) return 'Invalid issuer';
  if (claims.aud !== GOOGLE_TOKEN_AUD) return 'Invalid audience';
  if (!claims.scope?.split(' ').includes(SHEETS_SCOPE)) return 'Invalid scope';
  if (!claims.exp || !claims.iat || claims.exp <= now - 60 || claims.exp - claims.iat > 3600)
    return 'Invalid JWT: Token must be a short-lived token (60 minutes)';
  return undefined;
}

const colNumber = (letters: string) => [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

/** `'Daily'!A2:H40`, `Daily!A1:H`, `'Sync_Log'!A1` → tab, 0-based first row/col and optional last row/col (inclusive). */
export function parseA1(range: string): { title: string; row0: number; col0: number; row1?: number; col1?: number } {
  const bang = range.lastIndexOf('!');
  const rawTitle = bang < 0 ? range : range.slice(0, bang);
  const title = rawTitle.startsWith("'") ? rawTitle.slice(1, -1).replace(/''/g, "'") : rawTitle;
  const cells = bang < 0 ? '' : range.slice(bang + 1);
  const m = /^([A-Z]+)(\d+)?(?::([A-Z]+)(\d+)?)?$/i.exec(cells);
  if (!m) return { title, row0: 0, col0: 0 };
  return {
    title,
    col0: colNumber(m[1]!) - 1,
    row0: m[2] ? Number(m[2]) - 1 : 0,
    ...(m[3] ? { col1: colNumber(m[3]) - 1 } : {}),
    ...(m[4] ? { row1: Number(m[4]) - 1 } : {}),
  };
}

export const colLetter = (n: number) => {
  let s = '';
  for (let x = n + 1; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
};

export function trim(rows: Cell[][]): Cell[][] {
  const out = rows.map((row) => {
    const r = [...row];
    while (r.length > 0 && (r.at(-1) === '' || r.at(-1) === undefined)) r.pop();
    return r;
  });
  while (out.length > 0 && out.at(-1)!.length === 0) out.pop();
  return out;
}
