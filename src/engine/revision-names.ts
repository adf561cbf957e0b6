import type { RevisionShare } from './events.js';
import type { EcsPort } from './ports.js';

/**
 * Which task definition each service revision runs, so that revisions are
 * shown as people know them ("web:8") rather than by service revision id.
 * A service revision never changes, so each ARN is described at most once
 * per instance; one that could not be described stays unnamed rather than
 * costing a call on every poll.
 */
export class RevisionNames {
  private readonly known = new Map<string, string | undefined>();

  constructor(private readonly ecs: EcsPort) {}

  /** Service revision ARN -> task definition ARN, for the ARNs given (looked up when new). */
  async lookUp(serviceRevisionArns: readonly string[], signal?: AbortSignal): Promise<ReadonlyMap<string, string | undefined>> {
    const fresh = [...new Set(serviceRevisionArns)].filter((arn) => arn !== '' && !this.known.has(arn));
    if (fresh.length > 0) {
      let revisions;
      try {
        revisions = await this.ecs.readServiceRevisions(fresh, signal);
      } catch (err) {
        // A cancelled deploy stops here; any other failure only costs the names.
        if (signal?.aborted) throw err;
        revisions = undefined;
      }
      for (const arn of fresh) this.known.set(arn, undefined);
      for (const r of revisions ?? []) if (r.serviceRevisionArn) this.known.set(r.serviceRevisionArn, r.taskDefinition);
    }
    return this.known;
  }

  /** The revisions with their task definitions filled in where known. */
  async name(revisions: readonly RevisionShare[], signal?: AbortSignal): Promise<RevisionShare[]> {
    const names = await this.lookUp(revisions.map((r) => r.arn), signal);
    return withTaskDefinitions(revisions, names);
  }
}

/** Pure: each revision with `taskDefinitionArn` from `names` when it has none. */
export function withTaskDefinitions(revisions: readonly RevisionShare[], names: ReadonlyMap<string, string | undefined>): RevisionShare[] {
  return revisions.map((r) => {
    const taskDefinitionArn = r.taskDefinitionArn ?? names.get(r.arn);
    return taskDefinitionArn === undefined ? r : { ...r, taskDefinitionArn };
  });
}
