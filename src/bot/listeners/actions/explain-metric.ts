import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs, StaticSelectAction } from '@slack/bolt';
import { EXPLAIN_BLOCK_PREFIX, renderExplainPicker, renderNotice } from '../../../slack/metric.js';
import type { BotDeps } from '../../deps.js';
import { answerMetricId } from '../../answer/metric-reply.js';
import { replyPrivately, tellFailure } from '../../reply.js';

const WEEK_LABEL = /^\d{4}-W\d{2}$/;

/** *Explain a metric* on the weekly scorecard (its value is the week): a private menu of the scorecard's metrics. */
export function explainMetricAction(deps: BotDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const period = action.value && WEEK_LABEL.test(action.value) ? action.value : null;
    await replyPrivately({ respond, client, userId, channelId }, renderExplainPicker(deps.runtime.config, period));
  };
}

/** A metric chosen in that menu: the /metric answer for the scorecard's week, in place of the menu. */
export function explainPickAction(deps: BotDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    const channelId = body.channel?.id ?? body.container?.channel_id;
    const target = { respond, client, userId, channelId };
    try {
      const metricId = action.selected_option?.value;
      const period = action.block_id.startsWith(EXPLAIN_BLOCK_PREFIX) ? action.block_id.slice(EXPLAIN_BLOCK_PREFIX.length) : '';
      const message = metricId
        ? await answerMetricId(deps, metricId, WEEK_LABEL.test(period) ? period : null, { userId, channelId })
        : renderNotice('Choose a metric to explain.');
      await replyPrivately(target, message, { replaceOriginal: true });
    } catch (error) {
      await tellFailure(target, deps.runtime.logger, 'explaining that metric', error);
    }
  };
}
