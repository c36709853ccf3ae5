import { addDays, dayStart, isValidDay } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';

export const SOURCE_ID = 'salesforce';

/**
 * Binds in catalog SOQL. Only these four names exist, each replaced by a literal the scorecard formats itself from
 * a validated day (SOQL dates and datetimes are unquoted). Nothing else is ever spliced into the query text.
 */
export interface SoqlWindow {
  from: LocalDay;
  to: LocalDay;
  timezone: string;
}

export function datetimeLiteral(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function bindValues(window: SoqlWindow): Record<string, string> {
  for (const day of [window.from, window.to]) {
    if (!isValidDay(day)) throw new SourceError('config', SOURCE_ID, `not a day: ${JSON.stringify(day)}`);
  }
  return {
    from: window.from,
    to: window.to,
    from_start: datetimeLiteral(dayStart(window.from, window.timezone)),
    // Last instant of `to`: SOQL has no `<` on a bind-friendly exclusive end that reads as clearly as `<=`.
    to_end: datetimeLiteral(new Date(dayStart(addDays(window.to, 1), window.timezone).getTime() - 1000)),
  };
}

/**
 * Replaces `:from`, `:to`, `:from_start` and `:to_end` outside string literals. An unknown bind, or a bind inside a
 * string literal ('…:from…' would silently stay text), is a config error naming the metric.
 */
export function bindSoql(soql: string, window: SoqlWindow | undefined, where: string): string {
  const values = window ? bindValues(window) : {};
  let out = '';
  let inString = false;
  for (let i = 0; i < soql.length; i++) {
    const char = soql[i]!;
    if (inString) {
      out += char;
      if (char === '\\') out += soql[++i] ?? '';
      else if (char === "'") inString = false;
      continue;
    }
    if (char === "'") {
      inString = true;
      out += char;
      continue;
    }
    const bind = char === ':' ? /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(soql.slice(i)) : null;
    if (!bind) {
      out += char;
      continue;
    }
    // (NEXT_N_DAYS:90 and friends never match: a bind name starts with a letter.)
    const name = bind[1]!;
    const value = values[name];
    if (value === undefined) {
      const known = window ? ':from, :to, :from_start, :to_end' : 'none for a stock (it is counted now)';
      throw new SourceError('config', SOURCE_ID, `${where}: unknown bind :${name} (binds: ${known})`);
    }
    out += value;
    i += bind[0].length - 1;
  }
  if (inString) throw new SourceError('config', SOURCE_ID, `${where}: unterminated string literal`);
  return out;
}
