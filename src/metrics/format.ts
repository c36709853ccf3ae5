import type { Unit } from '../config/schema.js';

/*
 * One place decides how numbers read, so a digest, /metric and the terminal agree:
 *   currency  $950 · $512.3K · $1.2M · −$1.5K          (precise: $512,345.67)
 *   percent   68 % · 6.5 %   (a percentage number: 68 means 68 %; one decimal only below 10)
 *   hours     14.5 h         (always one decimal)
 *   days      31 d · 2.5 d   (one decimal only below 10)
 *   count     1,250 · 12.5   (up to one decimal)
 * Negative numbers use the minus sign (−), and a value that rounds to zero never shows a sign.
 */

export interface FormatOptions {
  /** No K/M abbreviation and up to two decimals (cents for currency). */
  precise?: boolean;
}

const MINUS = '\u2212';
const NO_VALUE = '—';

/**
 * Digits with thousands separators, as `Intl.NumberFormat('en-US', …)` writes them (which the tests hold it to), but
 * without Intl: building the first Intl formatter sets up ICU's locale data, ~11 ms of a short command. Like ICU,
 * it rounds the shortest decimal that reads back as the number (what `String(n)` gives), half away from zero, so
 * 1.005 → "1.01" where `toFixed` would say "1.00".
 */
export function grouped(n: number, minDecimals: number, maxDecimals: number): string {
  const plain = String(Math.abs(n));
  if (!/^\d+(\.\d+)?$/.test(plain)) return intlGrouped(n, minDecimals, maxDecimals); // exponent form, Infinity, NaN
  const negative = n < 0 || Object.is(n, -0);
  const [whole, fraction = ''] = plain.split('.') as [string, string?];
  let digits = whole + fraction.padEnd(maxDecimals, '0').slice(0, maxDecimals);
  if ((fraction[maxDecimals] ?? '0') >= '5') digits = incremented(digits);
  const intPart = digits.slice(0, digits.length - maxDecimals).replace(/^0+(?=\d)/, '') || '0';
  let decimals = digits.slice(digits.length - maxDecimals);
  while (decimals.length > minDecimals && decimals.endsWith('0')) decimals = decimals.slice(0, -1);
  const withCommas = intPart.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${negative ? '-' : ''}${withCommas}${decimals ? `.${decimals}` : ''}`;
}

/** A string of decimal digits plus one in its last place ("0999" → "1000", "99" → "100"). */
function incremented(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

function intlGrouped(n: number, minDecimals: number, maxDecimals: number): string {
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: minDecimals, maximumFractionDigits: maxDecimals }).format(n);
}

function roundTo(n: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(n * factor) / factor;
}

/** One decimal below 10 (6.5), whole numbers from 10 on (68); decided after rounding so 9.96 reads 10. */
function smallOneDecimal(abs: number): string {
  const oneDecimal = roundTo(abs, 1);
  if (oneDecimal < 10 && !Number.isInteger(oneDecimal)) return oneDecimal.toFixed(1);
  return grouped(Math.round(abs), 0, 0);
}

const CURRENCY_SCALES: [number, string][] = [
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'K'],
];

function currencyMagnitude(abs: number, precise: boolean): string {
  if (precise) return `$${grouped(roundTo(abs, 2), Number.isInteger(roundTo(abs, 2)) ? 0 : 2, 2)}`;
  if (roundTo(abs, 0) < 1000) return `$${grouped(Math.round(abs), 0, 0)}`;
  // Pick the scale after rounding, so $999,960 reads $1M rather than $1000K.
  for (let i = CURRENCY_SCALES.length - 1; i >= 0; i--) {
    const [scale, suffix] = CURRENCY_SCALES[i]!;
    const scaled = roundTo(abs / scale, 1);
    const isLargest = i === 0;
    if (scaled < 1000 || isLargest) return `$${grouped(scaled, 0, 1)}${suffix}`;
  }
  return `$${grouped(abs, 0, 0)}`;
}

/** The magnitude of a number in a unit, without sign. */
function magnitude(abs: number, unit: Unit, precise: boolean): string {
  switch (unit) {
    case 'currency':
      return currencyMagnitude(abs, precise);
    case 'percent':
      return `${precise ? grouped(abs, 0, 2) : smallOneDecimal(abs)} %`;
    case 'hours':
      return `${grouped(abs, 1, precise ? 2 : 1)} h`;
    case 'days':
      return `${precise ? grouped(abs, 0, 2) : smallOneDecimal(abs)} d`;
    case 'count':
      return grouped(abs, 0, precise ? 2 : 1);
  }
}

function signed(value: number, text: string, positiveSign: string): string {
  if (!/[1-9]/.test(text)) return text;
  return `${value < 0 ? MINUS : positiveSign}${text}`;
}

export function formatValue(value: number | null, unit: Unit, opts: FormatOptions = {}): string {
  if (value === null || !Number.isFinite(value)) return NO_VALUE;
  return signed(value, magnitude(Math.abs(value), unit, opts.precise ?? false), '');
}

/** An amount a value is off by, e.g. a miss or a tolerance: percent amounts are points ("2 pts"). */
export function formatAmount(amount: number, unit: Unit): string {
  const abs = Math.abs(amount);
  if (unit !== 'percent') return magnitude(abs, unit, false);
  const points = smallOneDecimal(abs);
  return `${points} ${points === '1' ? 'pt' : 'pts'}`;
}

/** The change from `b` to `a` ("+8", "−$3.2K", "+2 pts"); "—" when either side is missing. */
export function formatDelta(a: number | null, b: number | null, unit: Unit): string {
  if (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b)) return NO_VALUE;
  // Strip float noise (0.3 − 0.1) before deciding the sign.
  const delta = Number((a - b).toPrecision(12));
  return signed(delta, formatAmount(delta, unit), '+');
}

/** How long ago, coarse: "40 min", "5 h", "3 d" (hours up to two days, then days). */
export function formatAge(hours: number): string {
  const h = Number.isFinite(hours) ? Math.max(0, hours) : 0;
  if (h < 1) return `${Math.floor(h * 60)} min`;
  if (h < 48) return `${Math.floor(h)} h`;
  return `${Math.floor(h / 24)} d`;
}
