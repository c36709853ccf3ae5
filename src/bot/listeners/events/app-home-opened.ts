import { errorMessage } from '../../../errors.js';
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { publishHome } from '../../home.js';

/** Each visit to the Home tab redraws it from the store (Bolt acks events before listeners run). */
export function appHomeOpened(deps: BotDeps) {
  return async ({ event, client }: SlackEventMiddlewareArgs<'app_home_opened'> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== 'home') return;
    try {
      await publishHome(deps, client, event.user);
    } catch (error) {
      deps.runtime.logger.error({ err: errorMessage(error) }, 'publishing the Home tab failed');
    }
  };
}
