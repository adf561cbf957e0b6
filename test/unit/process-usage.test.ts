import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { procAvailable, readProcessTable, readRssKib } from '../../src/emulator/runtime/metrics/proc-table.js';
import {
  cpuTicksOf, cpuUnitsUsed, groupMembers, parseProcStat, parseVmRssKib, type ProcessStat,
} from '../../src/emulator/runtime/metrics/process-usage.js';
import { pollUntil } from '../support/poll.js';

/** A /proc/<pid>/stat line with the fields this module reads; the others are filler. */
function statLine(p: { pid: number; comm: string; ppid: number; pgrp: number; utime: number; stime: number; cutime?: number; cstime?: number }): string {
  const fields = ['S', p.ppid, p.pgrp, p.pgrp, 0, -1, 4194304, 10, 0, 0, 0, p.utime, p.stime, p.cutime ?? 0, p.cstime ?? 0, 20, 0, 1, 0, 123, 4096, 100];
  return `${p.pid} (${p.comm}) ${fields.join(' ')}\n`;
}

test('process usage: a stat line is read from the last parenthesis, whatever the command name holds', () => {
  assert.deepEqual(parseProcStat(statLine({ pid: 42, comm: 'node', ppid: 1, pgrp: 42, utime: 150, stime: 50, cutime: 7, cstime: 3 })), {
    pid: 42, ppid: 1, pgrp: 42, cpuTicks: 210,
  });
  assert.deepEqual(parseProcStat(statLine({ pid: 43, comm: 'a) b (c', ppid: 42, pgrp: 42, utime: 1, stime: 1 })), {
    pid: 43, ppid: 42, pgrp: 42, cpuTicks: 2,
  });
  assert.equal(parseProcStat(''), undefined);
  assert.equal(parseProcStat('12 (x) S'), undefined);
});

test('process usage: VmRSS is read in KiB; processes without one use none', () => {
  assert.equal(parseVmRssKib('Name:\tnode\nVmPeak:\t  999 kB\nVmRSS:\t   51234 kB\nRssAnon:\t 1 kB\n'), 51234);
  assert.equal(parseVmRssKib('Name:\tkthreadd\nState:\tS (sleeping)\n'), 0);
});

test('process usage: a container is its process group plus the descendants that left it', () => {
  const table: ProcessStat[] = [
    { pid: 1, ppid: 0, pgrp: 1, cpuTicks: 1000 },
    { pid: 100, ppid: 1, pgrp: 100, cpuTicks: 10 }, // container A's leader
    { pid: 101, ppid: 100, pgrp: 100, cpuTicks: 20 }, // its child
    { pid: 102, ppid: 101, pgrp: 102, cpuTicks: 30 }, // a grandchild that made its own group
    { pid: 200, ppid: 1, pgrp: 200, cpuTicks: 5 }, // container B
    { pid: 300, ppid: 1, pgrp: 300, cpuTicks: 999 }, // not a container
    { pid: 103, ppid: 1, pgrp: 100, cpuTicks: 4 }, // orphan still in A's group
  ];
  const members = groupMembers(table, new Set([100, 200, 404]));
  assert.deepEqual(members.get(100)?.map((p) => p.pid).sort(), [100, 101, 102, 103]);
  assert.equal(cpuTicksOf(members.get(100) ?? []), 64);
  assert.deepEqual(members.get(200)?.map((p) => p.pid), [200]);
  assert.deepEqual(members.get(404), []);
});

test('process usage: CPU units are CPU seconds per real second times 1024, never negative', () => {
  const table: Array<{ before: number; after: number; realMs: number; units: number }> = [
    { before: 0, after: 100, realMs: 1000, units: 1024 }, // one core, busy for a second
    { before: 0, after: 50, realMs: 1000, units: 512 },
    { before: 500, after: 900, realMs: 2000, units: 2048 }, // two cores
    { before: 900, after: 800, realMs: 1000, units: 0 }, // a process left with its time
    { before: 0, after: 100, realMs: 0, units: 0 },
  ];
  for (const row of table) assert.equal(cpuUnitsUsed(row.before, row.after, row.realMs), row.units, JSON.stringify(row));
});

test('process usage: the live process table shows a busy child burning CPU', { skip: !procAvailable() && 'no /proc here' }, async (t) => {
  const child = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore', detached: true });
  t.after(() => {
    try {
      process.kill(-(child.pid ?? 0), 'SIGKILL');
    } catch {
      // Already gone.
    }
  });
  await new Promise((resolve) => child.once('spawn', resolve));
  const pid = child.pid ?? 0;
  const ticksOf = async (): Promise<number | undefined> => {
    const members = groupMembers(await readProcessTable(), new Set([pid])).get(pid) ?? [];
    return members.length > 0 ? cpuTicksOf(members) : undefined;
  };
  const first = await pollUntil('the child in the process table', 5_000, ticksOf, 20);
  await pollUntil('the child using CPU', 5_000, async () => ((await ticksOf()) ?? 0) > first ? true : undefined, 50);
  assert.ok((await readRssKib(pid)) > 0);
  assert.equal(await readRssKib(2 ** 22 + 12345), 0);
});
