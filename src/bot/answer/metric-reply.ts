import { findMetric, metricById } from '../../metrics/catalog.js';
import { metricAnswer } from '../../report/queries.js';
import {
  renderMetricAnswer,
  renderMetricHelp,
  renderMetricList,
  renderMetricSuggestions,
  renderNoMetric,
  renderNotice,
  renderSensitiveRefusal,
  type BlockMessage,
} from '../../slack/metric.js';
import type { Metric } from '../../config/schema.js';
import { canSeeMetric } from '../access.js';
import { evalContextOf, whoIs, type BotDeps } from '../deps.js';
import { webEnabled } from '../web.js';
import { chooseWeek, splitQueryAndPeriod } from '../../report/period.js';
import { ownerMentionsFor } from '../owner-mentions.js';

/**
 * Everything `/metric` can say, read from the store only: no third-party source is ever called on this path.
 * The sensitive check comes before any read, so a refused figure is never even loaded.
 */

export interface Asker {
  userId: string;
  channelId: string | undefined;
}

export async function answerMetricText(deps: BotDeps, text: string, asker: Asker): Promise<BlockMessage> {
  const words = text.trim();
  const keyword = words.toLowerCase();
  if (keyword === '' || keyword === 'help') return renderMetricHelp();
  if (keyword === 'list') return renderMetricList(deps.runtime.config);

  const { query, period } = splitQueryAndPeriod(words);
  const { match, suggestions } = deps.answerCache ? deps.answerCache.findMetric(query) : findMetric(deps.runtime.config, query);
  if (!match) return suggestions.length ? renderMetricSuggestions(query, suggestions, period ?? null) : renderNoMetric(query);
  return answerMetric(deps, match, period ?? null, asker);
}

/** A metric by id (suggestion buttons, shares); an id that left the catalog since the button was drawn says so. */
export async function answerMetricId(deps: BotDeps, metricId: string, period: string | null, asker: Asker): Promise<BlockMessage> {
  const metric = metricById(deps.runtime.config, metricId);
  if (!metric) return renderNotice(`The metric "${metricId}" is no longer in the scorecard. See /metric list.`);
  return answerMetric(deps, metric, period, asker);
}

export async function answerMetric(
  deps: BotDeps,
  metric: Metric,
  period: string | null,
  asker: Asker,
  opts: { shareable?: boolean; sharedBy?: string } = {},
): Promise<BlockMessage> {
  return (await resolveMetricAnswer(deps, metric, period, asker, opts)).message;
}

/**
 * `answered: false` when the reply is a notice (refusal, bad period) rather than the figure: a share must then answer
 * only the sharer, never the channel.
 */
export async function resolveMetricAnswer(
  deps: BotDeps,
  metric: Metric,
  period: string | null,
  asker: Asker,
  opts: { shareable?: boolean; sharedBy?: string } = {},
): Promise<{ answered: boolean; message: BlockMessage }> {
  const { config, store } = deps.runtime;
  if (!canSeeMetric(config, metric, whoIs(deps, asker.userId), asker.channelId))
    return { answered: false, message: renderSensitiveRefusal(metric.name) };
  const ctx = evalContextOf(deps);
  const choice = chooseWeek(period ?? undefined, ctx);
  if (!choice.ok) return { answered: false, message: renderNotice(choice.message) };
  const read = () => metricAnswer(store, ctx, metric, choice.week, choice.explicit);
  const answer = deps.answerCache
    ? await deps.answerCache.answer({ metric: metric.id, week: choice.week.label, explicit: choice.explicit, now: ctx.now }, read)
    : await read();
  const message = renderMetricAnswer(answer, {
    now: ctx.now,
    mentions: await ownerMentionsFor(deps, [answer.owner]),
    ...(opts.shareable === false ? {} : { shareRef: { metric: metric.id, period } }),
    ...(opts.shareable !== false && webEnabled(deps) ? { webPath: `/metrics/${metric.id}` } : {}),
    ...(opts.sharedBy ? { sharedBy: opts.sharedBy } : {}),
  });
  return { answered: true, message };
}
