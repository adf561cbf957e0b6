import type { HistoryEntry } from './history.js';

/** What `ecs-rollout rollback` goes back to, or why it cannot. */
export type RollbackChoice =
  | { ok: true; entry: HistoryEntry; why: string }
  | { ok: false; message: string };

/**
 * The revision to roll back to. Pure. Without `to`: the newest deployment
 * that completed successfully with a revision other than the current one; a
 * revision that was deployed but never completed (rolled back, stopped) is
 * skipped, since it never ran for real. With `to`: the newest deployment of
 * the revision (`family:N` or `N`), image tag, or commit (a prefix of at
 * least 7 characters) it names; one that never completed is refused.
 */
export function chooseRollbackTarget(history: readonly HistoryEntry[], currentTaskDefinitionArn: string, to?: string): RollbackChoice {
  if (to === undefined) {
    const entry = history.find((e) => e.outcome === 'succeeded' && e.taskDefinitionArn !== undefined && e.taskDefinitionArn !== currentTaskDefinitionArn);
    if (!entry) {
      return { ok: false, message: `no earlier revision completed a deployment in the last ${history.length} deployment(s); nothing to roll back to (choose one with --to REVISION|TAG|COMMIT; ecs-rollout history lists them)` };
    }
    const skipped = history.slice(0, history.indexOf(entry)).filter((e) => e.outcome !== 'succeeded' && e.taskDefinitionArn !== currentTaskDefinitionArn);
    const note = skipped.length ? `; skipped ${[...new Set(skipped.map((e) => e.revision))].join(', ')}, which never completed a deployment` : '';
    return { ok: true, entry, why: `the last revision that completed a deployment (${entry.finishedAt ?? entry.startedAt ?? 'time unknown'})${note}` };
  }
  const matches = history.filter((e) => matchesTarget(e, to));
  if (matches.length === 0) {
    return { ok: false, message: `--to ${to}: no deployment in the last ${history.length} matches it as a revision (family:N or N), an image tag or a commit; ecs-rollout history lists them` };
  }
  const entry = matches.find((e) => e.outcome === 'succeeded');
  if (!entry) {
    const seen = matches[0];
    return { ok: false, message: `--to ${to}: ${seen?.revision} never completed a deployment (${matches.map((e) => e.status).join(', ')}); choose one that did (ecs-rollout history)` };
  }
  if (entry.taskDefinitionArn === currentTaskDefinitionArn) return { ok: false, message: `--to ${to}: the service already runs ${entry.revision}; nothing to roll back` };
  return { ok: true, entry, why: `--to ${to}` };
}

function matchesTarget(entry: HistoryEntry, to: string): boolean {
  const revisionNumber = entry.revision.split(':').pop();
  if (entry.revision === to || revisionNumber === to) return true;
  const tag = entry.image?.split('@')[0]?.split('/').pop()?.split(':')[1];
  if (tag !== undefined && tag === to) return true;
  return to.length >= 7 && entry.commit !== undefined && entry.commit.startsWith(to);
}
