import type { Config } from '../config/schema.js';
import type { WeeklyScorecard } from './weekly.js';
import { buildAttention, summarize } from './attention.js';
import { visibleQuarterDeals } from './quarter-deals.js';

/**
 * The weekly scorecard as one person may see it: rows of metrics they may not see (sensitive figures outside
 * the allowed people and channels) are left out, and the summary counts only what is shown.
 */
export function visibleScorecard(full: WeeklyScorecard, canSee: (metricId: string) => boolean): { view: WeeklyScorecard; hidden: number } {
  // Deal amounts follow the sensitive deal metrics (MRR closed); the counts are open to everyone who sees the page.
  const view = full.quarterDeals ? { ...full, quarterDeals: visibleQuarterDeals(full.quarterDeals, canSee) } : full;
  let hidden = 0;
  const groups = view.groups
    .map((group) => {
      const rows = group.rows.filter((row) => canSee(row.id));
      hidden += group.rows.length - rows.length;
      return { ...group, rows };
    })
    .filter((group) => group.rows.length > 0);
  if (hidden === 0) return { view, hidden };

  // Recounted over what is shown, each metric once (a metric listed in two groups is one metric).
  const shown = groups.flatMap((g) => g.rows);
  const visibleIds = new Set(shown.map((row) => row.id));
  const freshness = {
    ...view.freshness,
    stale: view.freshness.stale.filter((s) => visibleIds.has(s.id)),
  };
  return { view: { ...view, groups, summary: summarize(shown), attention: buildAttention(shown), freshness }, hidden };
}

/**
 * The scorecard as a channel may see it: a sensitive figure (cash) appears only in channels listed in
 * `slack.sensitive_access.channels`, since everyone in the channel reads the post.
 */
export function channelScorecard(view: WeeklyScorecard, config: Config, channel: string): { view: WeeklyScorecard; hidden: number } {
  const allowed = config.slack.sensitive_access.channels.includes(channel);
  return visibleScorecard(view, (id) => allowed || !config.metrics[id]?.sensitive);
}
