import { createAwsPorts } from '../aws/clients.js';
import type { AwsPorts } from '../aws/clients.js';
import { outputOption, parseCommandArgs } from './args.js';
import { asRolloutError, exitCodeForError } from './errors.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import { writeLine, type CliIo, type Command } from './io.js';
import { serviceTarget } from './service-target.js';
import type { ConfigFile } from '../spec/config-file.js';
import { loadSettings } from './settings.js';

/** The options of every command that acts on one service (status, promote, abort). */
export const SERVICE_COMMAND_OPTIONS = {
  cluster: { type: 'string' },
  service: { type: 'string' },
  output: { type: 'string' },
  config: { type: 'string' },
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * The Options block of a service command's help: --cluster and --service,
 * the command's own options, then the ones every service command takes.
 */
export function serviceOptionsHelp(own: ReadonlyArray<readonly [string, string]> = [], output = 'text (default) or one JSON object'): string {
  const rows: Array<readonly [string, string]> = [
    ['--cluster NAME', 'cluster of the service'],
    ['--service NAME', 'the service'],
    ...own,
    ['--output text|json', output],
    ['--config FILE', 'settings file (default ./ecs-rollout.yaml if present)'],
    ['--endpoint-url URL', 'AWS endpoint, e.g. the emulator (default $AWS_ENDPOINT_URL)'],
    ['--region REGION', 'AWS region'],
    ['-h, --help', 'show this help'],
  ];
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  return ['Options:', ...rows.map(([flag, what]) => `  ${flag.padEnd(width)}${what}`)].join('\n');
}

export interface ServiceCommandContext {
  ports: AwsPorts;
  target: { cluster: string; service: string };
  json: boolean;
  io: CliIo;
  /** The settings file, for what a command reads beyond the target (strategy.alb.canaryService). */
  config: ConfigFile;
  /** The command's own string options (beyond the shared ones), as given. */
  flags: Readonly<Record<string, string | undefined>>;
  /** Its own boolean options, as given. */
  switches: Readonly<Record<string, boolean | undefined>>;
}

/**
 * A command that acts on one service: it parses the shared options, shows its
 * help, loads settings, opens AWS clients for the action and closes them, and
 * renders any error as text or (with --output json) one JSON object.
 */
export function serviceCommand(spec: {
  name: string;
  summary: string;
  help: string;
  /** Options of this command besides the shared ones. */
  options?: Readonly<Record<string, { type: 'string' } | { type: 'boolean' }>>;
  act: (ctx: ServiceCommandContext) => Promise<ExitCodeValue>;
}): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    help: spec.help,
    async run(args, io) {
      let json = false;
      try {
        const { values } = parseCommandArgs(spec.name, args, { ...SERVICE_COMMAND_OPTIONS, ...spec.options });
        if (values.help) {
          writeLine(io.stdout, spec.help);
          return ExitCode.Success;
        }
        json = outputOption(values.output) === 'json';
        const { config, connection } = await loadSettings(io, values);
        json = (outputOption(values.output) ?? config.output) === 'json';
        const target = serviceTarget(values, config);
        const ports = createAwsPorts(connection);
        try {
          const own = Object.keys(spec.options ?? {});
          const given = values as Record<string, string | boolean | undefined>;
          const flags = Object.fromEntries(own.flatMap((k) => (typeof given[k] === 'string' ? [[k, given[k]]] : [])));
          const switches = Object.fromEntries(own.flatMap((k) => (typeof given[k] === 'boolean' ? [[k, given[k]]] : [])));
          return await spec.act({ ports, target, json, io, config, flags, switches });
        } finally {
          ports.close();
        }
      } catch (err) {
        const error = asRolloutError(err);
        const exitCode = exitCodeForError(error);
        if (json) writeLine(io.stdout, JSON.stringify({ outcome: 'error', exitCode, error: { code: error.code, kind: error.kind, message: error.message } }));
        else writeLine(io.stderr, `error: ${error.message}`);
        return exitCode;
      }
    },
  };
}
