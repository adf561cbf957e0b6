import { parseArgs, type ParseArgsConfig } from 'node:util';

export type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>>;
import { parseDuration } from '../spec/duration.js';
import { RolloutError } from '../spec/errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** util.parseArgs with its errors turned into user errors that point at --help. */
export function parseCommandArgs<T extends Options>(command: string, args: string[], options: T, allowPositionals = false): Parsed<T> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (err) {
    throw new RolloutError('InvalidArguments', `${(err as Error).message.replace(/\. To specify a positional.*$/s, '')}\nsee: ecs-rollout ${command} --help`);
  }
}

export function durationOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new RolloutError('InvalidArguments', `--${flag}: expected a duration like 90s or 15m, got '${value}'`);
  return ms;
}

export function countOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new RolloutError('InvalidArguments', `--${flag}: expected a whole number of 0 or more, got '${value}'`);
  return Number(value);
}

export function outputOption(value: string | undefined): 'text' | 'json' | undefined {
  if (value === undefined || value === 'text' || value === 'json') return value;
  throw new RolloutError('InvalidArguments', `--output: expected text or json, got '${value}'`);
}

/** Splits `OWN ARGS -- COMMAND ARGS` at the first `--`: the command's own arguments, then the local command to run. */
export function splitAtCommand(args: string[]): { own: string[]; command: string[] } {
  const separator = args.indexOf('--');
  return separator >= 0 ? { own: args.slice(0, separator), command: args.slice(separator + 1) } : { own: args, command: [] };
}
