import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { entryModalFor, openEntryModal, prefillForWeek } from '../../entry-modal.js';

function parseNudgeValue(value: string | undefined): { metric?: string; week?: string } {
  try {
    const parsed = JSON.parse(value ?? '{}') as { metric?: unknown; week?: unknown };
    return {
      ...(typeof parsed.metric === 'string' ? { metric: parsed.metric } : {}),
      ...(typeof parsed.week === 'string' ? { week: parsed.week } : {}),
    };
  } catch {
    return {};
  }
}

/** *Log now* in a missing-number nudge: the modal pre-filled with the nudge's metric and week. */
export function logNowAction(deps: BotDeps) {
  return async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const { metric, week } = parseNudgeValue(action.value);
    const view = entryModalFor(deps, body.user.id, prefillForWeek(deps, metric, week));
    await openEntryModal(client, body.trigger_id, view, deps.runtime.logger);
  };
}
