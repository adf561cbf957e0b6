import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { parseProcStat, parseVmRssKib, type ProcessStat } from './process-usage.js';

/**
 * Reads Linux's process table from /proc. Files of processes that exit
 * while being read are skipped: a process table is a moving target.
 */

export const PROC_ROOT = '/proc';

/** Whether this platform has a Linux /proc to read (macOS and Windows have not). */
export function procAvailable(root = PROC_ROOT): boolean {
  return existsSync(`${root}/self/stat`);
}

export async function readProcessTable(root = PROC_ROOT): Promise<ProcessStat[]> {
  const pids = (await readdir(root)).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(pids.map((pid) => readOptional(`${root}/${pid}/stat`)));
  return stats.flatMap((text) => {
    const stat = text === undefined ? undefined : parseProcStat(text);
    return stat ? [stat] : [];
  });
}

/** Resident memory of one process in KiB; 0 once it is gone. */
export async function readRssKib(pid: number, root = PROC_ROOT): Promise<number> {
  const status = await readOptional(`${root}/${pid}/status`);
  return status === undefined ? 0 : parseVmRssKib(status);
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    // ENOENT/ESRCH: the process exited between readdir and read.
    return undefined;
  }
}
