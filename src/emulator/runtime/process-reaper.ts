/**
 * Process groups the driver started and has not yet seen exit. If the
 * emulator's own process ends while some are alive (a crash, a test runner
 * exiting), they are killed on the way out: detached groups would otherwise
 * outlive it and keep ports bound.
 */
export class ProcessReaper {
  private readonly groups = new Set<number>();
  private readonly onExit = (): void => this.killAll();

  add(pid: number): void {
    if (this.groups.size === 0) process.on('exit', this.onExit);
    this.groups.add(pid);
  }

  remove(pid: number): void {
    if (!this.groups.delete(pid)) return;
    if (this.groups.size === 0) process.off('exit', this.onExit);
  }

  killAll(): void {
    for (const pid of this.groups) signalGroup(pid, 'SIGKILL');
    this.groups.clear();
    process.off('exit', this.onExit);
  }
}

/**
 * Signals every process in the group led by `pid`. A group that is already
 * gone is not an error: ESRCH, or EPERM where (on macOS) only zombies are left.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ESRCH' && code !== 'EPERM') throw err;
  }
}
