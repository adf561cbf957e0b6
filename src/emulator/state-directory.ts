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
      writeFileSync(temp, JSON.stringify(member.snapshot(), encodeDates));
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

/**
 * Dates are written as `{"$date": "<ISO 8601>"}` so that they, and only they,
 * come back as Dates: a user's string that looks like a timestamp stays a string.
 * (JSON.stringify applies Date#toJSON before a replacer runs, so the replacer
 * reads the original value from its holder.)
 */
function encodeDates(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Date ? { $date: original.toISOString() } : value;
}

function reviveDates(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const iso = (value as { $date?: unknown }).$date;
    if (keys.length === 1 && typeof iso === 'string') return new Date(iso);
  }
  return value;
}
