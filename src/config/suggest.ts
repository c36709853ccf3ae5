import { distance } from 'fastest-levenshtein';

/**
 * The candidate a typo most likely meant, or undefined when nothing is close enough to be a useful guess.
 * Case is ignored, and for slash-separated names (time zones) the last part counts too, so `Chicago` finds
 * `America/Chicago`.
 */
export function nearest(input: string, candidates: Iterable<string>): string | undefined {
  const typed = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const lastPart = lower.slice(lower.lastIndexOf('/') + 1);
    const score = Math.min(distance(typed, lower), lastPart === lower ? Infinity : distance(typed, lastPart));
    if (score < bestDistance) {
      best = candidate;
      bestDistance = score;
    }
  }
  // Two edits always count as close (a transposition is two); longer words tolerate ~40 % of their length.
  const allowed = Math.max(2, Math.ceil(typed.length * 0.4));
  return bestDistance <= allowed ? best : undefined;
}

/** `did you mean "unit"?`, or undefined. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const guess = nearest(input, candidates);
  return guess === undefined ? undefined : `did you mean "${guess}"?`;
}

export function listOf(values: readonly (string | number)[]): string {
  return values.map(String).join(', ');
}
