import type { StoppedTaskRecord } from '../events.js';

/**
 * Why the canary stops before its last step: a failure (rolled back, exit 3)
 * or an operator's abort (exit 6). Thrown from any wait so the driver reads
 * as the happy path; caught once, where the traffic goes back to stable.
 */
export class CanaryInterrupted extends Error {
  override readonly name = 'CanaryInterrupted';

  constructor(
    readonly outcome: 'rolled-back' | 'aborted',
    readonly reason: string,
    readonly stoppedTasks: StoppedTaskRecord[] = [],
  ) {
    super(reason);
  }
}
