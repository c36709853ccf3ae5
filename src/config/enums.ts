/**
 * The closed word lists of `scorecard.yml`, apart from the schema (schema.ts) so code that only needs a list, such as
 * the week arithmetic every command loads, does not build the whole config schema.
 */
export const UNITS = ['count', 'currency', 'percent', 'hours', 'days'] as const;
export const AGGREGATES = ['sum', 'last', 'mean', 'ratio'] as const;
export const GOAL_OPS = ['>=', '<=', '=', 'between'] as const;
export const CADENCES = ['daily', 'weekly'] as const;
export const WEEK_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
