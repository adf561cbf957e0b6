import type { HistoryEntry } from '../../engine/history.js';
import { formatDuration } from '../../spec/duration.js';

const COLUMNS = ['started', 'revision', 'outcome', 'strategy', 'took', 'image', 'commit', 'by'] as const;

/** The history as a table, newest first, with why a deployment did not succeed under its row. Pure. */
export function historyLines(target: { cluster: string; service: string }, entries: readonly HistoryEntry[]): string[] {
  if (entries.length === 0) return [`service ${target.service} in cluster ${target.cluster} has no deployments on record`];
  const rows = entries.map((e) => [
    e.startedAt?.replace(/\.\d{3}Z$/, 'Z') ?? '-',
    e.revision,
    e.outcome === 'in-progress' ? `${e.outcome} (${e.status})` : e.outcome,
    e.strategy ?? '-',
    e.durationMs !== undefined ? formatDuration(e.durationMs) : '-',
    shortImage(e.image),
    e.commit?.slice(0, 12) ?? '-',
    e.who ?? '-',
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  const out = [`deployments of service ${target.service} in cluster ${target.cluster}, newest first:`, line(COLUMNS)];
  entries.forEach((e, i) => {
    out.push(line(rows[i] ?? []));
    if (e.reason) out.push(`    ${e.reason}`);
  });
  return out;
}

/** The repository and tag (or digest) of an image URI, without the registry. */
function shortImage(image: string | undefined): string {
  if (image === undefined) return '-';
  return image.split(', ').map((one) => one.replace(/^(\S+=)?[^/]+\.[^/]+\//, '$1')).join(', ');
}
