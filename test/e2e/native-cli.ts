/** The CLI run against a blue/green stack's emulator, and what the native-strategy end-to-end tests read from it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runCli, type CliRun } from '../../examples/lib/sample-stack.js';
import { versionAt, type Stack } from '../emulator/ecs-blue-green-stack.js';

type After = { after: (fn: () => Promise<void>) => void };

/** Runs the CLI against the stack's emulator with `yaml` as its settings file; `echo` sees its output as it comes. */
export async function cli(t: After, stack: Stack, argv: string[], yaml = '', echo?: NodeJS.WritableStream): Promise<CliRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-native-'));
  t.after(async () => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'ecs-rollout.yaml');
  writeFileSync(config, yaml);
  return runCli([...argv, '--config', config, '--endpoint-url', stack.endpoint], { CI: 'true' }, echo);
}

export const target = (stack: Stack) => ['--cluster', stack.cluster, '--service', stack.service];
export const deployV2 = (stack: Stack, strategy: string) => ['deploy', ...target(stack), '--image', stack.images.get('v2') ?? '', '--strategy', strategy];
export const show = (run: CliRun): string => `exit ${run.code}\n${run.stdout}${run.stderr}`;

/** Polls `probe` until it returns a value, for at most `ms` of real time. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The versions that answer `n` requests in a row at `url`. */
export async function versionsAt(url: string, n = 20): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < n; i += 1) seen.add(await versionAt(url));
  return seen;
}

/** A stream that keeps what a running command writes, readable while it runs. */
export function watchOutput(): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

export interface JsonEvent {
  type: string;
  stage?: string;
  kind?: string;
  endsAt?: string;
  promotable?: boolean;
  revisions?: Array<{ role: string; productionWeight?: number; taskDefinitionArn?: string }>;
}

export const eventsOf = (run: CliRun): JsonEvent[] => run.stdout.trim().split('\n').map((line) => JSON.parse(line) as JsonEvent);

const BIN = fileURLToPath(new URL('../../../bin/ecs-rollout.js', import.meta.url));

/** `ecs-rollout ARGV` as its own process in `cwd` (CI=true, so plain lines): its output so far and its exit; killed if still running when the test ends. */
export function spawnCli(t: After, argv: string[], cwd: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...argv], { cwd, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}
