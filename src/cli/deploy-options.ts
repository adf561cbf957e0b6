import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ImageChange } from '../engine/preflight.js';
import { RolloutError } from '../spec/errors.js';
import { STRATEGY_NAMES, type StrategyName } from '../spec/strategy.js';

/** deploy's options; verify takes the same, so it checks the release the same command line would make. */
export const DEPLOY_OPTIONS = {
  cluster: { type: 'string' },
  service: { type: 'string' },
  container: { type: 'string' },
  image: { type: 'string' },
  tag: { type: 'string' },
  'desired-count': { type: 'string' },
  timeout: { type: 'string' },
  'poll-interval': { type: 'string' },
  output: { type: 'string' },
  log: { type: 'string' },
  commit: { type: 'string' },
  force: { type: 'boolean' },
  resume: { type: 'boolean' },
  config: { type: 'string' },
  'endpoint-url': { type: 'string' },
  region: { type: 'string' },
  strategy: { type: 'string' },
  executor: { type: 'string' },
  'dry-run': { type: 'boolean' },
  'on-cancel': { type: 'string' },
  'skip-verify': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** --image or --tag, exactly one. */
export function imageChange(image: string | undefined, tag: string | undefined): ImageChange {
  if (image !== undefined && tag !== undefined) throw new RolloutError('InvalidArguments', 'pass either --image or --tag, not both');
  if (image !== undefined) {
    if (image.trim() === '') throw new RolloutError('InvalidArguments', '--image must not be empty');
    return { image };
  }
  if (tag !== undefined) return { tag };
  throw new RolloutError('InvalidArguments', 'missing the new image: pass --image URI or --tag TAG');
}

/** --strategy, one of the names users type. */
export function strategyOption(value: string | undefined): StrategyName | undefined {
  if (value === undefined) return undefined;
  const found = STRATEGY_NAMES.find((name) => name === value);
  if (!found) throw new RolloutError('InvalidArguments', `--strategy: expected one of ${STRATEGY_NAMES.join(', ')}, got '${value}'`);
  return found;
}

/** strategy.codeDeploy.appSpec, read now so a missing file stops the deploy before anything changes. */
export async function readAppSpec(path: string | undefined, cwd: string): Promise<{ path: string; text: string } | undefined> {
  if (path === undefined) return undefined;
  try {
    return { path, text: await readFile(resolve(cwd, path), 'utf8') };
  } catch (err) {
    throw new RolloutError('InvalidConfig', `strategy.codeDeploy.appSpec: cannot read ${path}: ${(err as Error).message}`);
  }
}
