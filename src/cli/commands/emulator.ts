import { resolve } from 'node:path';
import { RolloutError } from '../../spec/errors.js';
import { parseCommandArgs } from '../args.js';
import { asRolloutError, exitCodeForError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type CliIo, type Command } from '../io.js';

// The emulator's defaults (src/emulator/emulator.ts), repeated so help renders without loading it.
const DEFAULT_PORT = 4577;
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_STATE_DIR = '.ecs-rollout/emulator';

const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'state-dir': { type: 'string' },
  'in-memory': { type: 'boolean' },
  speed: { type: 'string' },
  'listener-port-map': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: ecs-rollout emulator [options]
       ecs-rollout emulator push IMAGE -- COMMAND [ARGS...]
       ecs-rollout emulator stats [--output json]

Runs a local emulator of the AWS APIs a deployment uses (ECS, ECR, Elastic
Load Balancing v2) in the foreground. It runs tasks as local processes and
routes HTTP through load balancer listeners. Stop it with Ctrl-C.

Options:
  --port PORT               API port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDRESS            address for the API and the listeners (default ${DEFAULT_HOST})
  --state-dir DIR           where state survives restarts (default ${DEFAULT_STATE_DIR})
  --in-memory               keep no state on disk
  --speed N                 run AWS's durations N times faster (default 1)
  --listener-port-map MAP   listener port -> local port, e.g. 80=8080,443=8443
  -h, --help                show this help

Subcommands:
  push    store a local image: a command that containers of IMAGE run
  stats   API calls the emulator served, per operation`;

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'run the local AWS emulator in the foreground (push, stats: see --help)',
  help: HELP,
  async run(args, io) {
    try {
      const { values } = parseCommandArgs('emulator', args, OPTIONS);
      if (values.help) {
        writeLine(io.stdout, HELP);
        return ExitCode.Success;
      }
      const port = parsePort('--port', values.port ?? String(DEFAULT_PORT), true);
      const speed = values.speed === undefined ? 1 : Number(values.speed);
      if (!Number.isFinite(speed) || speed <= 0) throw new RolloutError('InvalidArguments', `--speed: expected a positive number, got '${values.speed}'`);
      const listenerPortMap = parseListenerPortMap(values['listener-port-map'] ?? '');
      const stateDir = values['in-memory'] ? undefined : resolve(io.cwd ?? process.cwd(), values['state-dir'] ?? DEFAULT_STATE_DIR);
      return await runInForeground(io, { port, host: values.host ?? DEFAULT_HOST, stateDir, speed, listenerPortMap });
    } catch (err) {
      const error = asRolloutError(err);
      writeLine(io.stderr, `error: ${error.message}`);
      return exitCodeForError(error);
    }
  },
};

async function runInForeground(
  io: CliIo,
  options: { port: number; host: string; stateDir: string | undefined; speed: number; listenerPortMap: Map<number, number> },
): Promise<number> {
  // Loaded here so the other commands never load the emulator.
  const { startEmulator } = await import('../../emulator/index.js');
  const log = (line: string): void => writeLine(io.stdout, `${new Date().toISOString()}  ${line}`);
  let emulator;
  try {
    emulator = await startEmulator({ ...options, log });
  } catch (err) {
    throw new RolloutError('InvalidArguments', (err as Error).message);
  }
  const { url } = emulator;
  writeLine(io.stdout, `ecs-rollout emulator serving ECS, ECR and ELBv2 at ${url}`);
  writeLine(io.stdout, `state: ${options.stateDir ?? 'in memory only'}; speed: ${options.speed}x`);
  writeLine(io.stdout, 'Point AWS tools at it:');
  writeLine(io.stdout, `  export AWS_ENDPOINT_URL=${url}`);
  writeLine(io.stdout, '  export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test');
  writeLine(io.stdout, '(a 12-digit access key id is taken as the account id; any other key is account 000000000000)');
  writeLine(io.stdout, 'Press Ctrl-C to stop.');

  const signalName = await new Promise<string>((done) => {
    const onSignal = (name: string) => (): void => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      io.signal?.removeEventListener('abort', onAbort);
      done(name);
    };
    const onInt = onSignal('SIGINT');
    const onTerm = onSignal('SIGTERM');
    const onAbort = onSignal('abort');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    if (io.signal?.aborted) onAbort();
    else io.signal?.addEventListener('abort', onAbort, { once: true });
  });
  writeLine(io.stdout, `${signalName === 'abort' ? '' : `${signalName}: `}stopping tasks and listeners, saving state`);
  await emulator.close();
  writeLine(io.stdout, 'emulator stopped');
  return ExitCode.Success;
}

function parsePort(flag: string, value: string, allowZero: boolean): number {
  const port = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(port >= (allowZero ? 0 : 1) && port <= 65535)) throw new RolloutError('InvalidArguments', `${flag}: expected a port number, got '${value}'`);
  return port;
}

export function parseListenerPortMap(text: string): Map<number, number> {
  const map = new Map<number, number>();
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [from, to, ...rest] = pair.split('=');
    if (from === undefined || to === undefined || rest.length > 0) {
      throw new RolloutError('InvalidArguments', `--listener-port-map: expected LISTENER=LOCAL pairs like 80=8080,443=8443, got '${pair}'`);
    }
    map.set(parsePort('--listener-port-map', from, false), parsePort('--listener-port-map', to, false));
  }
  return map;
}
