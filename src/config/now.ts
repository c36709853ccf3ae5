/** `--now` / SCORECARD_NOW: a pinned instant makes every output reproducible. */
export function parseNow(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new Error(`--now / SCORECARD_NOW must be an ISO time like 2026-11-16T08:00:00-06:00 — got "${value}"`);
  return date;
}
