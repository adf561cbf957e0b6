/**
 * CPU and memory a task's processes use, from Linux's /proc, as ECS counts
 * them: CPU in CPU units (1024 per vCPU), memory in MiB. Parsing and
 * arithmetic only; reading the files is proc-table.ts's.
 */

/** Clock ticks per second of /proc's CPU times: USER_HZ, 100 on every Linux port Node runs on. */
export const USER_HZ = 100;
/** ECS's CPU unit: 1024 units are one vCPU. */
export const CPU_UNITS_PER_VCPU = 1024;

export interface ProcessStat {
  pid: number;
  ppid: number;
  pgrp: number;
  /** utime + stime + cutime + cstime, in clock ticks. */
  cpuTicks: number;
}

/**
 * One /proc/<pid>/stat line. The command name (field 2) is in parentheses
 * and may hold spaces and parentheses itself, so fields are counted from the
 * last ')'.
 */
export function parseProcStat(text: string): ProcessStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // rest[0] is field 3 (state): field n is rest[n - 3].
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const field = (n: number): number => Number(rest[n - 3]);
  const stat = { pid, ppid: field(4), pgrp: field(5), cpuTicks: field(14) + field(15) + field(16) + field(17) };
  return Object.values(stat).every(Number.isFinite) ? stat : undefined;
}

/** VmRSS from /proc/<pid>/status, in KiB ("kB" there means KiB); 0 when absent (zombies, kernel threads). */
export function parseVmRssKib(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return match ? Number(match[1]) : 0;
}

/**
 * The processes that belong to a container started as the leader of process
 * group `leader`: the group's members, and their descendants even when these
 * moved to a group of their own.
 */
export function groupMembers(table: readonly ProcessStat[], leaders: ReadonlySet<number>): Map<number, ProcessStat[]> {
  const children = new Map<number, ProcessStat[]>();
  for (const p of table) {
    const siblings = children.get(p.ppid);
    if (siblings) siblings.push(p);
    else children.set(p.ppid, [p]);
  }
  const out = new Map<number, ProcessStat[]>();
  const claimed = new Set<number>();
  for (const leader of leaders) {
    const members: ProcessStat[] = [];
    const queue = table.filter((p) => p.pgrp === leader || p.pid === leader);
    while (queue.length > 0) {
      const p = queue.pop() as ProcessStat;
      if (claimed.has(p.pid)) continue;
      claimed.add(p.pid);
      members.push(p);
      queue.push(...(children.get(p.pid) ?? []));
    }
    out.set(leader, members);
  }
  return out;
}

/**
 * Total CPU time of a set of processes. Children a member reaped are in its
 * cutime/cstime, so the total keeps growing while processes come and go.
 */
export function cpuTicksOf(members: readonly ProcessStat[]): number {
  return members.reduce((sum, p) => sum + p.cpuTicks, 0);
}

/**
 * CPU units in use between two readings: CPU seconds spent per real second,
 * times 1024. A process that left without being reaped by a member takes
 * its time with it; that shows as no use, never as negative use.
 */
export function cpuUnitsUsed(previousTicks: number, currentTicks: number, realElapsedMs: number): number {
  if (realElapsedMs <= 0) return 0;
  const cpuSeconds = Math.max(0, currentTicks - previousTicks) / USER_HZ;
  return (cpuSeconds / (realElapsedMs / 1000)) * CPU_UNITS_PER_VCPU;
}
