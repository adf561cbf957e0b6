import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** State a service keeps across restarts: a JSON-able snapshot and its restore. */
export interface Persistent {
  readonly stateName: string;
  snapshot(): unknown;
  restore(data: unknown): void;
}

/**
 * Keeps each service's snapshot in `<dir>/<name>.json`. Writes are atomic
 * (temp file + rename) and synchronous, so a write the server acknowledged is
 * on disk before the response leaves. With no directory, state is memory only.
 */
export class StateDirectory {
  private readonly members = new Map<string, Persistent>();
  private readonly dirty = new Set<string>();

  constructor(private readonly dir: string | undefined) {
    if (dir) mkdirSync(dir, { recursive: true });
  }

  /** Adds a member and restores its saved snapshot, if there is one. */
  attach(member: Persistent): void {
    this.members.set(member.stateName, member);
    const saved = this.read(member.stateName);
    if (saved !== undefined) member.restore(saved);
  }

  markDirty(name: string): void {
    this.dirty.add(name);
  }

  /** Writes every member marked dirty (or all, when `all`). */
  flush(all = false): void {
    const names = all ? [...this.members.keys()] : [...this.dirty];
    this.dirty.clear();
    if (!this.dir) return;
    for (const name of names) {
      const member = this.members.get(name);
      if (!member) continue;
      const file = join(this.dir, `${name}.json`);
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify(member.snapshot()));
      renameSync(temp, file);
    }
  }

  private read(name: string): unknown {
    if (!this.dir) return undefined;
    let text: string;
    try {
      text = readFileSync(join(this.dir, `${name}.json`), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      return JSON.parse(text, reviveDates);
    } catch (err) {
      throw new Error(`state file ${join(this.dir, `${name}.json`)} is not valid JSON (${(err as Error).message}); move it aside to start empty`);
    }
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Snapshots hold Dates as ISO strings; they come back as Dates. */
function reviveDates(_key: string, value: unknown): unknown {
  return typeof value === 'string' && ISO_DATE.test(value) ? new Date(value) : value;
}
