import type { Runtime } from '../runtime.js';
import { inlineAnswerer, inlineHomeRenderer, inlineScorecardRenderer } from './answer/answerer.js';
import { inlineEntryWriter } from './answer/entry-writer.js';
import type { BotDeps } from './deps.js';

/**
 * The listeners' deps, answering `/metric` inline until the app starts the answer thread. Apart from `deps.ts`
 * because the answer pipeline reads `BotDeps`: `deps.ts` itself imports nothing from it but types.
 */
export function createBotDeps(runtime: Runtime, now: () => Date = runtime.now): BotDeps {
  // The inline answerer reads the deps it belongs to, so it is attached once they exist.
  const deps = { runtime, now, learntEmails: new Map<string, string>(), track: (work) => work } as BotDeps;
  deps.answerer = inlineAnswerer(deps);
  deps.scorecards = inlineScorecardRenderer(deps);
  deps.homes = inlineHomeRenderer(deps);
  deps.entries = inlineEntryWriter(deps);
  return deps;
}
