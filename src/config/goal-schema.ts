import * as z from 'zod/mini';
import { GOAL_OPS } from './enums.js';

/**
 * A goal: `value` for >=, <=, =; `min`/`max` for between. Tolerances override the defaults for this goal. Apart from
 * schema.ts because the store parses stored goal changes with it, without needing the rest of the config schema; in
 * zod's functional build so that a short command reading goals (`scorecard metric cash`) never sets up the classic one
 * (~10 ms). The config schema composes it like any other.
 */
export const goalSchema = z.strictObject({
  op: z.enum(GOAL_OPS),
  value: z.optional(z.number()),
  min: z.optional(z.number()),
  max: z.optional(z.number()),
  tolerance_pct: z.optional(z.number().check(z.minimum(0), z.maximum(100))),
  tolerance_abs: z.optional(z.number().check(z.minimum(0))),
});
