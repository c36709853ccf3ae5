import { errorMessage } from '../../../errors.js';
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { deleteEntry } from '../../entries.js';
import { publishHome } from '../../home.js';

/** *Delete* on an App Home entry (after Slack's confirm dialog): marks it deleted and redraws the Home tab. */
export function deleteEntryAction(deps: BotDeps) {
  return async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const userId = body.user.id;
    try {
      const result = await deleteEntry(deps, Number(action.value), userId);
      await publishHome(deps, client, userId, result.ok ? undefined : result.message);
    } catch (error) {
      deps.runtime.logger.error({ err: errorMessage(error) }, 'deleting an entry from App Home failed');
    }
  };
}
