import { AppError } from '../domain/errors.js';
import { latencyStages, type AnalyticsQuery, type AnalyticsRow } from '../domain/analytics.js';
import type { Auth } from './auth.js';
import type { DbDeps } from './use-case-deps.js';

const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 366;

const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);

/** Calls per day, agent or campaign: volume, outcomes, durations, success rate, latency per stage and estimated cost. */
export async function callAnalytics(deps: DbDeps, auth: Auth, query: AnalyticsQuery) {
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) throw new AppError('invalid_range', '`from` must be before `to`', 400);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) throw new AppError('invalid_range', `at most ${MAX_RANGE_DAYS} days at a time`, 400);
  const { analytics } = deps.db.forOrganization(auth.organizationId);
  const filters = { from, to, agentId: query.agentId, campaignId: query.campaignId };

  const aggregate = async (groupBy: AnalyticsQuery['groupBy'] | 'all') => {
    const { calls, latency } = await analytics.aggregate(groupBy, filters);
    return calls.map((row): AnalyticsRow => {
      const stages = latency.filter((each) => each.key === row.key);
      return {
        key: row.key,
        calls: row.calls,
        completed: row.completed,
        failed: row.failed,
        durationMs: { total: row.total_ms, average: round(row.avg_ms), p50: round(row.p50_ms), p95: round(row.p95_ms) },
        analysed: row.analysed,
        judged: row.judged,
        successRate: row.judged > 0 ? row.successes / row.judged : null,
        estimatedCostUsd: Math.round(row.cost * 1e6) / 1e6,
        latencyMs: Object.fromEntries(
          latencyStages.map((stage) => {
            const found = stages.find((each) => each.stage === stage);
            return [stage, { p50: round(found?.p50 ?? null), p95: round(found?.p95 ?? null), p99: round(found?.p99 ?? null), count: found?.count ?? 0 }];
          }),
        ) as AnalyticsRow['latencyMs'],
      };
    });
  };

  const [rows, totals] = await Promise.all([aggregate(query.groupBy), aggregate('all')]);
  const empty: AnalyticsRow = {
    key: null,
    calls: 0,
    completed: 0,
    failed: 0,
    durationMs: { total: 0, average: null, p50: null, p95: null },
    analysed: 0,
    judged: 0,
    successRate: null,
    estimatedCostUsd: 0,
    latencyMs: Object.fromEntries(latencyStages.map((stage) => [stage, { p50: null, p95: null, p99: null, count: 0 }])) as AnalyticsRow['latencyMs'],
  };
  return { from: from.toISOString(), to: to.toISOString(), groupBy: query.groupBy, rows, totals: totals[0] ?? empty };
}
