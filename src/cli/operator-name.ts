import { hostname } from 'node:os';

/** Who runs this command, as recorded in the canary's tags: user@host. */
export function operatorName(env: NodeJS.ProcessEnv): string {
  return `${env.USER ?? env.USERNAME ?? 'someone'}@${hostname()}`;
}
