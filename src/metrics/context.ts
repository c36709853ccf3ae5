import type { Config, Metric } from '../config/schema.js';
import type { PeriodSettings } from './types.js';

/** Everything a digest or `/metric` needs to decide, besides the store: the config, "now" and which sources are connected. */
export interface EvalContext {
  config: Config;
  now: Date;
  periods: PeriodSettings;
  /** True when the metric's source has the credentials this metric needs (manual and derived metrics always do). */
  isConnected: (metric: Metric) => boolean;
}

export function periodSettings(config: Config): PeriodSettings {
  return { timezone: config.org.timezone, weekStart: config.org.week_start };
}
