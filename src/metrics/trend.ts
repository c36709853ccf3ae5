const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
/** A week without data: visibly different from a low week. */
const GAP = '·';
/** Every value the same: a flat line in the middle says "steady", not "bottom". */
const FLAT = '▄';

/** One character per value, scaled between the min and max of the values present; null (no data) shows as a gap. */
export function sparkline(values: (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return GAP.repeat(values.length);
  const min = Math.min(...present);
  const max = Math.max(...present);
  return values
    .map((v) => {
      if (v === null || !Number.isFinite(v)) return GAP;
      if (max === min) return FLAT;
      return BARS[Math.round(((v - min) / (max - min)) * (BARS.length - 1))];
    })
    .join('');
}
