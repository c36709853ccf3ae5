import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { weeklyScorecard } from '../../../report/queries.js';
import { renderWeeklyMessages } from '../../../slack/weekly.js';
import { configMentions } from '../../../slack/blocks.js';
import { renderNotice } from '../../../slack/metric.js';
import { metricById } from '../../../metrics/catalog.js';
import { canSeeMetric } from '../../access.js';
import { evalContextOf, whoIs, type BotDeps } from '../../deps.js';
import { chooseWeek } from '../../../report/period.js';
import { replyPrivately, tellFailure } from '../../reply.js';
import { visibleScorecard } from '../../../report/visibility.js';
import { webEnabled, webLinkMessage } from '../../web.js';

/** A response_url takes five posts; a scorecard longer than that sends the rest as plain ephemerals. */
const RESPONSE_URL_USES = 5;

/**
 * `/scorecard [period]`: the weekly scorecard, only to the caller (`/scorecard web`: a sign-in link to the pages). An ephemeral has no thread, so the parent and
 * its continuations go out as consecutive ephemerals, in order.
 */
export function scorecardCommand(deps: BotDeps) {
  return async ({ ack, command, respond, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const target = { respond, client, userId: command.user_id, channelId: command.channel_id };
    try {
      if (command.text.trim().toLowerCase() === 'web') {
        await replyPrivately(target, webLinkMessage(deps, command.user_id));
        return;
      }
      const ctx = evalContextOf(deps);
      const choice = chooseWeek(command.text, ctx);
      if (!choice.ok) {
        await replyPrivately(target, renderNotice(`${choice.message} With nothing, /scorecard shows the last completed week.`));
        return;
      }
      const who = whoIs(deps, command.user_id);
      const full = await weeklyScorecard(deps.runtime.store, ctx, choice.week);
      const { view, hidden } = visibleScorecard(full, (id) => {
        const metric = metricById(deps.runtime.config, id);
        return !metric || canSeeMetric(deps.runtime.config, metric, who, command.channel_id);
      });
      const messages = renderWeeklyMessages(view, {
        now: ctx.now,
        web: webEnabled(deps),
        mentions: configMentions(ctx.config.slack.users),
      });
      if (hidden > 0) messages.push(renderNotice(`${hidden} restricted metric${hidden === 1 ? ' is' : 's are'} left out of your copy.`));
      for (const [index, message] of messages.entries()) {
        const viaResponseUrl = index < RESPONSE_URL_USES ? target : { ...target, respond: undefined };
        await replyPrivately(viaResponseUrl, { text: message.text, blocks: message.blocks });
      }
    } catch (error) {
      await tellFailure(target, deps.runtime.logger, 'building the scorecard', error);
    }
  };
}
