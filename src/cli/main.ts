import { readFileSync } from 'node:fs';
import { abortCommand } from './commands/abort.js';
import { deployCommand } from './commands/deploy.js';
import { diagnoseCommand } from './commands/diagnose.js';
import { emulatorCommand } from './commands/emulator.js';
import { emulatorLambdaCommand } from './commands/emulator-lambda.js';
import { emulatorPushCommand } from './commands/emulator-push.js';
import { emulatorStatsCommand } from './commands/emulator-stats.js';
import { historyCommand } from './commands/history.js';
import { promoteCommand } from './commands/promote.js';
import { pruneCommand } from './commands/prune.js';
import { rollbackCommand } from './commands/rollback.js';
import { scaleCommand } from './commands/scale.js';
import { statusCommand } from './commands/status.js';
import { verifyCommand } from './commands/verify.js';
import { asRolloutError, exitCodeForError } from './errors.js';
import { EXIT_CODE_HELP, ExitCode } from './exit-codes.js';
import { writeLine, type CliIo, type Command } from './io.js';

export type { CliIo } from './io.js';

const COMMANDS: readonly Command[] = [deployCommand, verifyCommand, statusCommand, historyCommand, diagnoseCommand, rollbackCommand, scaleCommand, pruneCommand, promoteCommand, abortCommand, emulatorCommand, emulatorPushCommand, emulatorLambdaCommand, emulatorStatsCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: ecs-rollout <command> [options]

Safe deployments for AWS ECS services, and a local AWS emulator that really runs them.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run ecs-rollout <command> --help for a command's options.
Options: --help, --version

${EXIT_CODE_HELP}`;
}

/** The command line: returns the exit code; writes only to the given streams. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [first, second] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    writeLine(first === undefined ? io.stderr : io.stdout, usage());
    return first === undefined ? ExitCode.BadInput : ExitCode.Success;
  }
  if (first === '--version' || first === '-v') {
    writeLine(io.stdout, version());
    return ExitCode.Success;
  }
  const twoWords = second !== undefined ? COMMANDS.find((c) => c.name === `${first} ${second}`) : undefined;
  const command = twoWords ?? COMMANDS.find((c) => c.name === first);
  if (!command) {
    writeLine(io.stderr, `error: unknown command '${first}'\n\n${usage()}`);
    return ExitCode.BadInput;
  }
  try {
    return await command.run(argv.slice(twoWords ? 2 : 1), io);
  } catch (err) {
    // Commands report their own errors; this catches only what escaped them.
    const error = asRolloutError(err);
    writeLine(io.stderr, `error: ${error.message}`);
    return exitCodeForError(error);
  }
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}
