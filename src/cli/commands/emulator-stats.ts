import { STATS_PATH } from '../../emulator/server.js';
import { describeCause, RolloutError } from '../../spec/errors.js';
import { outputOption, parseCommandArgs } from '../args.js';
import { asRolloutError, exitCodeForError } from '../errors.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine, type Command } from '../io.js';
import { loadSettings } from '../settings.js';
import { DEFAULT_EMULATOR_ENDPOINT } from './emulator-endpoint.js';

const OPTIONS = {
  output: { type: 'string' },
  'endpoint-url': { type: 'string' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const HELP = `Usage: ecs-rollout emulator stats [--output text|json] [--endpoint-url URL]

Shows how many AWS API calls the emulator served, per Service.Operation:
what a deployment costs in API calls, for any client.

Options:
  --output text|json    a table (default) or the emulator's JSON as it is
  --endpoint-url URL    the emulator (default $AWS_ENDPOINT_URL, config, ${DEFAULT_EMULATOR_ENDPOINT})
  -h, --help            show this help`;

interface Stats {
  total: number;
  errors: number;
  operations: Record<string, number>;
}

export const emulatorStatsCommand: Command = {
  name: 'emulator stats',
  summary: 'API calls the emulator served, per operation',
  help: HELP,
  async run(args, io) {
    try {
      const { values } = parseCommandArgs('emulator stats', args, OPTIONS);
      if (values.help) {
        writeLine(io.stdout, HELP);
        return ExitCode.Success;
      }
      const json = outputOption(values.output) === 'json';
      const { connection } = await loadSettings(io, values, DEFAULT_EMULATOR_ENDPOINT);
      const url = `${(connection.endpoint ?? DEFAULT_EMULATOR_ENDPOINT).replace(/\/+$/, '')}${STATS_PATH}`;
      let body: string;
      try {
        const response = await fetch(url);
        body = await response.text();
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${body.slice(0, 200)}`);
      } catch (err) {
        throw new RolloutError('AwsRequestFailed', `failed to read emulator stats from ${url}: ${describeCause(err)}${(err as { cause?: unknown }).cause ? ` (${describeCause((err as { cause?: unknown }).cause)})` : ''}; is the emulator running (ecs-rollout emulator)?`, { cause: err });
      }
      if (json) {
        writeLine(io.stdout, body.trim());
        return ExitCode.Success;
      }
      const stats = JSON.parse(body) as Stats;
      for (const line of statsLines(stats)) writeLine(io.stdout, line);
      return ExitCode.Success;
    } catch (err) {
      const error = asRolloutError(err);
      writeLine(io.stderr, `error: ${error.message}`);
      return exitCodeForError(error);
    }
  },
};

export function statsLines(stats: Stats): string[] {
  const entries = Object.entries(stats.operations);
  const width = Math.max(9, ...entries.map(([name]) => name.length));
  return [
    `total ${stats.total} calls, ${stats.errors} errors`,
    ...entries.map(([name, count]) => `${name.padEnd(width)}  ${String(count).padStart(6)}`),
  ];
}
