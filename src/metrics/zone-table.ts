/**
 * A time zone's UTC offsets and abbreviations over a span of years, read off Intl once and kept on disk with the
 * validated config (runtime.ts), so a short command converts instants without building an Intl formatter: the first
 * one sets up ICU's locale data, ~11 ms of `scorecard metric cash`. Intl stays the only source of zone rules: the
 * table is what Intl said, and instants outside its span still go to Intl (zone.ts).
 */
export interface ZoneTable {
  timezone: string;
  /** The span covered, [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** Instants at which an offset starts (the first is fromMs), ascending, with the offset and abbreviation from then. */
  starts: number[];
  offsetSeconds: number[];
  abbreviations: string[];
}

const DAY = 86_400_000;

/** Offsets are sampled daily; no zone has changed its offset twice within a day since 1970, and each change is then found to the second. */
export function buildZoneTable(timezone: string, fromYear: number, toYear: number): ZoneTable {
  const fromMs = Date.UTC(fromYear, 0, 1);
  const toMs = Date.UTC(toYear, 0, 1);
  const offsetOf = offsetReader(timezone);
  const abbreviationOf = abbreviationReader(timezone);
  const starts = [fromMs];
  const offsetSeconds = [offsetOf(fromMs)];
  for (let at = fromMs + DAY; at < toMs + DAY; at += DAY) {
    const sampleAt = Math.min(at, toMs - 1000);
    const offset = offsetOf(sampleAt);
    if (offset === offsetSeconds.at(-1)) continue;
    // The change lies in (sampleAt - DAY, sampleAt]: find its first second.
    let lo = Math.floor((sampleAt - DAY) / 1000);
    let hi = Math.floor(sampleAt / 1000);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetOf(mid * 1000) === offset) hi = mid;
      else lo = mid;
    }
    starts.push(hi * 1000);
    offsetSeconds.push(offset);
  }
  return { timezone, fromMs, toMs, starts, offsetSeconds, abbreviations: starts.map(abbreviationOf) };
}

/** The segment of the table in force at this instant, or undefined outside its span. */
export function zoneSegment(table: ZoneTable, ms: number): { offsetSeconds: number; abbreviation: string } | undefined {
  if (!(ms >= table.fromMs && ms < table.toMs)) return undefined;
  let lo = 0;
  let hi = table.starts.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (table.starts[mid]! <= ms) lo = mid;
    else hi = mid - 1;
  }
  return { offsetSeconds: table.offsetSeconds[lo]!, abbreviation: table.abbreviations[lo]! };
}

function offsetReader(timezone: string): (ms: number) => number {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' });
  return (ms) => {
    // "1/1/2026, GMT-06:00" ("GMT" alone at UTC); format() is several times faster than formatToParts().
    const text = format.format(ms);
    const match = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
    if (!match) throw new RangeError(`unexpected offset "${text}" for ${timezone}`);
    if (match[1] === undefined) return 0;
    const seconds = Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0);
    return match[1] === '-' ? -seconds : seconds;
  };
}

export function abbreviationReader(timezone: string): (ms: number) => string {
  const format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'short' });
  return (ms) => format.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? '';
}
