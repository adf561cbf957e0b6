import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { StateDirectory, type Persistent } from '../../src/emulator/state-directory.js';

class Box implements Persistent {
  readonly stateName = 'box';
  data: unknown;
  constructor(data?: unknown) {
    this.data = data;
  }
  snapshot(): unknown {
    return this.data;
  }
  restore(data: unknown): void {
    this.data = data;
  }
}

test('a snapshot comes back with its Dates as Dates and timestamp-like strings as strings', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const saved = { at: new Date(Date.UTC(2026, 10, 21, 12)), tag: '2024-01-01T00:00:00.000Z', list: [new Date(0)], nested: { $date: 'x', other: 1 } };
  const first = new StateDirectory(dir);
  first.attach(new Box(saved));
  first.flush(true);

  const restored = new Box();
  new StateDirectory(dir).attach(restored);
  assert.deepEqual(restored.data, saved);
  assert.ok((restored.data as { at: unknown }).at instanceof Date);
  assert.equal(typeof (restored.data as { tag: unknown }).tag, 'string');
});

test('only members marked dirty are written, and a memory-only directory writes nothing', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const states = new StateDirectory(dir);
  const box = new Box({ n: 1 });
  states.attach(box);
  states.flush();
  const fresh = new Box();
  new StateDirectory(dir).attach(fresh);
  assert.equal(fresh.data, undefined);
  states.markDirty('box');
  states.flush();
  new StateDirectory(dir).attach(fresh);
  assert.deepEqual(fresh.data, { n: 1 });

  const memory = new StateDirectory(undefined);
  memory.attach(new Box({ n: 2 }));
  memory.flush(true);
});
