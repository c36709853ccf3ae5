import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { findMetric } from '../../../metrics/catalog.js';
import type { BotDeps } from '../../deps.js';
import { entryModalFor, openEntryModal } from '../../entry-modal.js';

/** `/log [metric]`: the entry modal, pre-selecting the metric when the text names one. Built from config only. */
export function logCommand(deps: BotDeps) {
  return async ({ ack, command, client }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const query = (command.text ?? '').trim();
    const match = query ? findMetric(deps.runtime.config, query).match : undefined;
    const view = entryModalFor(deps, command.user_id, match ? { metricId: match.id } : {});
    await openEntryModal(client, command.trigger_id, view, deps.runtime.logger);
  };
}
