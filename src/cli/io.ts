import type { Writable } from 'node:stream';

/** Everything a command touches outside itself; tests pass their own. */
export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  /** Where ecs-rollout.yaml is looked for; defaults to process.cwd(). */
  cwd?: string;
  /** Stops long-running commands (the emulator) as SIGINT would. */
  signal?: AbortSignal;
}

export interface Command {
  /** As typed: "deploy", "emulator push". */
  name: string;
  summary: string;
  help: string;
  run(args: string[], io: CliIo): Promise<number>;
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}
