import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { logCommand } from './log.js';
import { metricCommand } from './metric.js';
import { scorecardCommand } from './scorecard.js';

type CommandListener = (args: SlackCommandMiddlewareArgs & AllMiddlewareArgs) => Promise<void>;

/** One Bolt listener for the three commands (fewer listeners, less matching per request; see actions/index.ts). */
export function registerCommands(app: App, deps: BotDeps): void {
  const routes: Record<string, CommandListener> = {
    '/metric': metricCommand(deps),
    '/scorecard': scorecardCommand(deps),
    '/log': logCommand(deps),
  };
  app.command(/^\/(metric|scorecard|log)$/, async (args) => {
    await routes[args.command.command]!(args);
  });
}
