import type { ImageChange } from '../engine/preflight.js';
import { RolloutError } from '../spec/errors.js';

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
