import { errors } from './catalogue.js';
import type { LocalTarget } from './model.js';

/** The environment variables that tell the emulator what a function runs. */
export const LOCAL_URL_VARIABLE = 'ECS_ROLLOUT_LOCAL_URL';
export const LOCAL_COMMAND_VARIABLE = 'ECS_ROLLOUT_LOCAL_COMMAND';
export const LOCAL_CWD_VARIABLE = 'ECS_ROLLOUT_LOCAL_CWD';

const HOW = `set Environment.Variables.${LOCAL_URL_VARIABLE} (an http(s) URL the payload is POSTed to) or ${LOCAL_COMMAND_VARIABLE} (a JSON array: the command and its arguments; the payload goes to stdin); see docs/emulator.md`;

/** What a function's environment says it runs; a loud error when it says nothing the emulator can run. */
export function localTarget(variables: Readonly<Record<string, string>> | undefined): LocalTarget {
  const url = variables?.[LOCAL_URL_VARIABLE];
  const command = variables?.[LOCAL_COMMAND_VARIABLE];
  if (url !== undefined && command !== undefined) {
    throw errors.invalidValue(`Set only one of ${LOCAL_URL_VARIABLE} and ${LOCAL_COMMAND_VARIABLE}.`);
  }
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw errors.invalidValue(`${LOCAL_URL_VARIABLE} must be an http(s) URL, got ${JSON.stringify(url)}.`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw errors.invalidValue(`${LOCAL_URL_VARIABLE} must be an http(s) URL, got ${JSON.stringify(url)}.`);
    }
    return { kind: 'url', url };
  }
  if (command !== undefined) {
    let argv: unknown;
    try {
      argv = JSON.parse(command);
    } catch {
      argv = undefined;
    }
    if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string') || argv[0] === '') {
      throw errors.invalidValue(`${LOCAL_COMMAND_VARIABLE} must be a JSON array of strings, the command first, e.g. ["node","hook.js"].`);
    }
    const [program, ...args] = argv as string[];
    return { kind: 'command', argv: [program ?? '', ...args], cwd: variables?.[LOCAL_CWD_VARIABLE] };
  }
  throw errors.invalidValue(`The ecs-rollout emulator runs no Lambda runtime; it runs a function as a local URL or command: ${HOW}.`);
}
