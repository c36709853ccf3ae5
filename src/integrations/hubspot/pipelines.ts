import type { SourceContext } from '../source.js';
import { parseOrConfigError } from '../source-helpers.js';
import { createHubspotClient, SOURCE_ID, type HubspotClient, type HubspotDeps } from './client.js';
import { pipelinesSchema, settingsSchema, type Pipeline } from './schemas.js';

/**
 * Deal and ticket pipelines: which stages are closed-won (deals) or open (tickets), and how a stage reads to a
 * person. Stage ids are per pipeline and opaque ("appointmentscheduled", "1234912"), so anything a person sees
 * names the pipeline and stage labels instead.
 */

export type PipelineObject = 'deals' | 'tickets';

export interface StageSelection {
  stageIds: string[];
  /** Human sentences naming pipelines and stages by label. */
  warnings: string[];
}

export async function fetchPipelines(client: HubspotClient, objectType: PipelineObject): Promise<Pipeline[]> {
  const body = await client.get(`/crm/v3/pipelines/${objectType}`, pipelinesSchema);
  return body.results;
}

export function stageLabel(pipeline: Pipeline, stageId: string): string {
  const stage = pipeline.stages.find((s) => s.id === stageId);
  return `${pipeline.label} › ${stage?.label ?? stageId}`;
}

/** Closed-won = `metadata.isClosed` "true" with `metadata.probability` 1.0, in every deal pipeline. */
export function closedWonStages(pipelines: Pipeline[]): StageSelection {
  const stageIds: string[] = [];
  const warnings: string[] = [];
  for (const pipeline of pipelines) {
    const won = pipeline.stages.filter((stage) => String(stage.metadata.isClosed) === 'true' && Number(stage.metadata.probability) === 1);
    if (won.length === 0 && !pipeline.archived) {
      warnings.push(`deal pipeline "${pipeline.label}" has no closed-won stage (closed, probability 1.0); none of its deals count`);
    }
    stageIds.push(...won.map((stage) => stage.id));
  }
  if (pipelines.length === 0) warnings.push('HubSpot returned no deal pipelines');
  return { stageIds, warnings };
}

/**
 * Stages whose `metadata.ticketState` is OPEN, in the named pipelines (ids or labels, case-insensitive)
 * or in every pipeline when none are named.
 */
export function openTicketStages(pipelines: Pipeline[], wanted?: readonly string[]): StageSelection {
  const warnings: string[] = [];
  let chosen = pipelines;
  if (wanted && wanted.length > 0) {
    chosen = [];
    for (const ref of wanted) {
      const match = pipelines.find((p) => p.id === ref || p.label.toLowerCase() === ref.toLowerCase());
      if (match) chosen.push(match);
      else warnings.push(`ticket pipeline "${ref}" not found (known: ${pipelines.map((p) => `"${p.label}"`).join(', ') || 'none'})`);
    }
  }
  const stageIds: string[] = [];
  for (const pipeline of chosen) {
    const open = pipeline.stages.filter((stage) => String(stage.metadata.ticketState).toUpperCase() === 'OPEN');
    if (open.length === 0) warnings.push(`ticket pipeline "${pipeline.label}" has no stage whose ticket state is OPEN`);
    stageIds.push(...open.map((stage) => stage.id));
  }
  return { stageIds, warnings };
}

/** Stage id → "Pipeline › Stage" for every pipeline of the object type, for messages and `/metric` explanations. */
export async function stageLabels(
  ctx: Pick<SourceContext, 'env' | 'logger' | 'stats' | 'config'>,
  objectType: PipelineObject = 'deals',
  deps: HubspotDeps = {},
): Promise<Map<string, string>> {
  const settings = parseOrConfigError(SOURCE_ID, settingsSchema, ctx.config.sources.hubspot ?? {}, 'sources.hubspot');
  const client = createHubspotClient(ctx, settings, deps);
  const labels = new Map<string, string>();
  for (const pipeline of await fetchPipelines(client, objectType)) {
    for (const stage of pipeline.stages) labels.set(stage.id, stageLabel(pipeline, stage.id));
  }
  return labels;
}
