import { z } from 'zod';
import { GOAL_OPS } from './enums.js';

/**
 * A goal: `value` for >=, <=, =; `min`/`max` for between. Tolerances override the defaults for this goal. Apart from
 * schema.ts because the store parses stored goal changes with it, without needing the rest of the config schema.
 */
export const goalSchema = z
  .object({
    op: z.enum(GOAL_OPS),
    value: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    tolerance_pct: z.number().min(0).max(100).optional(),
    tolerance_abs: z.number().min(0).optional(),
  })
  .strict();
