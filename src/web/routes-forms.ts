import { randomBytes } from 'node:crypto';
import type { Hono } from 'hono';
import { metricById, metricsOf } from '../metrics/catalog.js';
import { isManualMetric } from '../metrics/entry-validation.js';
import { formatValue } from '../metrics/format.js';
import { describeGoal, goalFor } from '../metrics/goals.js';
import { localDayOf, weekOfInstant } from '../metrics/periods.js';
import { logNewEntry } from '../report/log-entry.js';
import { appendAudit } from '../store/audit.js';
import { addGoalChange, listGoalChanges } from '../store/goal-changes.js';
import { getManualEntry } from '../store/manual-entries.js';
import { field, render, type WebContext, type WebEnv } from './context.js';
import type { WebDeps } from './deps.js';
import { validateGoalForm } from './goal-form.js';
import { entryFormPage, type EntryFormState } from './pages/entry.js';
import { goalsPage, type GoalFormState, type GoalsPage } from './pages/goals.js';
import { messagePage } from './pages/signin.js';
import { pageUser } from './routes-pages.js';

/** The two forms: a manual entry (the /log rules and write path) and, for admins, a goal change. */

const newKey = () => randomBytes(12).toString('base64url');

function manualMetrics(deps: WebDeps, c: WebContext) {
  const viewer = c.get('viewer');
  return metricsOf(deps.config).filter((m) => isManualMetric(m) && viewer.canSee(m));
}

async function goalsView(deps: WebDeps, c: WebContext): Promise<GoalsPage['metrics']> {
  const viewer = c.get('viewer');
  const ctx = deps.evalContext(deps.now());
  const week = weekOfInstant(ctx.now, ctx.periods);
  const metrics = metricsOf(deps.config).filter((m) => viewer.canSee(m));
  const changes = await listGoalChanges(
    deps.store,
    metrics.map((m) => m.id),
  );
  return metrics.map((metric) => {
    const goal = goalFor(
      metric,
      week,
      changes.filter((ch) => ch.metricId === metric.id),
    );
    return { metric, current: goal ? describeGoal(goal, metric.unit) : '—' };
  });
}

export function registerFormRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  app.get('/entries/new', async (c) => {
    const viewer = c.get('viewer');
    const today = localDayOf(deps.now(), deps.config.org.timezone);
    const state: EntryFormState = { metricId: c.req.query('metric') ?? '', day: today, value: '', note: '', onBehalfOf: '', key: newKey() };
    const savedId = Number(c.req.query('saved'));
    const row = Number.isInteger(savedId) ? await getManualEntry(deps.store, savedId) : undefined;
    const metric = row && row.entered_by === viewer.who.userId ? metricById(deps.config, row.metric_id) : undefined;
    const saved =
      row && metric
        ? {
            metricName: metric.name,
            day: row.day,
            value: formatValue(row.value, metric.unit),
            forUser: row.user_id !== row.entered_by ? row.user_id : null,
          }
        : undefined;
    return render(
      c,
      entryFormPage({ metrics: manualMetrics(deps, c), state, errors: {}, today, ...(saved ? { saved } : {}) }, pageUser(viewer)),
    );
  });

  app.post('/entries/new', async (c) => {
    const viewer = c.get('viewer');
    const form = await c.req.parseBody();
    const now = deps.now();
    const today = localDayOf(now, deps.config.org.timezone);
    const state: EntryFormState = {
      metricId: field(form, 'metric'),
      day: field(form, 'date'),
      value: field(form, 'value'),
      note: field(form, 'note'),
      onBehalfOf: field(form, 'on_behalf').trim(),
      key: field(form, 'key') || newKey(),
    };
    // A sensitive metric this viewer may not see is "not a metric" to them, as in the form's list.
    if (state.metricId && !viewer.canSeeId(state.metricId)) {
      const errors = { metric: `"${state.metricId}" is not a metric in the scorecard.` };
      return render(c, entryFormPage({ metrics: manualMetrics(deps, c), state, errors, today }, pageUser(viewer)), 422);
    }
    const result = await logNewEntry(deps.store, deps.config, now, {
      who: viewer.who,
      metricId: state.metricId || undefined,
      day: state.day,
      value: state.value,
      note: state.note,
      onBehalfOf: state.onBehalfOf || null,
      idempotencyKey: `web:${viewer.who.userId}:${state.key}`,
    });
    if (!result.ok)
      return render(c, entryFormPage({ metrics: manualMetrics(deps, c), state, errors: result.errors, today }, pageUser(viewer)), 422);
    if (result.created) deps.entriesChanged?.([result.row.day]);
    return c.redirect(`/entries/new?saved=${result.row.id}`, 303);
  });

  const emptyGoalForm = (): GoalFormState => ({
    metricId: '',
    scope: 'from',
    from: '',
    period: '',
    op: '>=',
    value: '',
    min: '',
    max: '',
    reason: '',
  });
  const adminsOnly = (c: WebContext) =>
    render(c, messagePage('Admins only', 'Only scorecard admins (slack.admins) can change goals. Ask one of them.'), 403);

  app.get('/settings/goals', async (c) => {
    const viewer = c.get('viewer');
    if (!viewer.admin) return adminsOnly(c);
    const saved = metricById(deps.config, c.req.query('saved') ?? '');
    return render(
      c,
      goalsPage(
        {
          metrics: await goalsView(deps, c),
          state: emptyGoalForm(),
          errors: {},
          ...(saved ? { saved: `Goal saved for ${saved.name}.` } : {}),
        },
        pageUser(viewer),
      ),
    );
  });

  app.post('/settings/goals', async (c) => {
    const viewer = c.get('viewer');
    if (!viewer.admin) return adminsOnly(c);
    const form = await c.req.parseBody();
    const state: GoalFormState = {
      metricId: field(form, 'metric'),
      scope: field(form, 'scope') === 'week' ? 'week' : field(form, 'scope') === 'from' ? 'from' : ('' as 'from'),
      from: field(form, 'from'),
      period: field(form, 'period').trim().toUpperCase(),
      op: field(form, 'op'),
      value: field(form, 'value'),
      min: field(form, 'min'),
      max: field(form, 'max'),
      reason: field(form, 'reason'),
    };
    const now = deps.now();
    const ctx = deps.evalContext(now);
    const result = validateGoalForm(state, {
      config: deps.config,
      periods: ctx.periods,
      currentWeek: weekOfInstant(now, ctx.periods),
      canSee: viewer.canSeeId,
    });
    if (!result.ok) return render(c, goalsPage({ metrics: await goalsView(deps, c), state, errors: result.errors }, pageUser(viewer)), 422);
    const { change } = result;
    await addGoalChange(deps.store, { ...change, changedBy: viewer.who.userId }, now);
    await appendAudit(
      deps.store,
      { actor: viewer.who.userId, action: 'goal.change', subject: `metric:${change.metricId}`, detail: { ...change, via: 'web' } },
      now,
    );
    return c.redirect(`/settings/goals?saved=${encodeURIComponent(change.metricId)}`, 303);
  });
}
