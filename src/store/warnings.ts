/**
 * The `daily_values.warnings` column: a JSON array of warning strings, or, when the source judged the figure stale
 * itself, `{ "warnings": [...], "stale": "…" }`. Rows written before the stale verdict existed stay arrays, and an
 * array still reads as "no verdict", so old and new rows mix freely.
 */

export interface StoredWarnings {
  warnings: string[];
  /** The source's own reason the figure is stale (it names what and how old), when it gave one. */
  stale: string | null;
}

export function warningsColumn(warnings: readonly string[], stale: string | undefined): string | null {
  if (stale) return JSON.stringify({ warnings, stale });
  return warnings.length > 0 ? JSON.stringify(warnings) : null;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((w): w is string => typeof w === 'string') : []);

export function parseWarningsColumn(json: string | null): StoredWarnings {
  if (!json) return { warnings: [], stale: null };
  try {
    const parsed: unknown = JSON.parse(json);
    if (Array.isArray(parsed)) return { warnings: strings(parsed), stale: null };
    if (parsed !== null && typeof parsed === 'object') {
      const { warnings, stale } = parsed as { warnings?: unknown; stale?: unknown };
      return { warnings: strings(warnings), stale: typeof stale === 'string' && stale !== '' ? stale : null };
    }
  } catch {
    // A damaged column reads as no warnings rather than failing the digest.
  }
  return { warnings: [], stale: null };
}
