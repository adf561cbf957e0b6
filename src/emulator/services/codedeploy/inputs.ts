import type { RequestContext } from '../../request-context.js';
import { errors } from './catalogue.js';
import { DEPLOYMENT_ID } from './deployment-ids.js';
import type { CodeDeployScope, StoredApplication, StoredDeployment } from './model.js';
import type { CodeDeployStore } from './store.js';

const MAX_NAME = 100;
const PAGE_SIZE = 100;

/** Plain code-unit order, so listings read the same on every machine. */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function applicationName(value: unknown): string {
  if (value === undefined || value === null || value === '') throw errors.applicationNameRequired();
  if (typeof value !== 'string' || value.length > MAX_NAME) throw errors.invalidApplicationName(String(value));
  return value;
}

export function groupName(value: unknown): string {
  if (value === undefined || value === null || value === '') throw errors.groupNameRequired();
  if (typeof value !== 'string' || value.length > MAX_NAME) throw errors.invalidGroupName(String(value));
  return value;
}

export function configName(value: unknown): string {
  if (value === undefined || value === null || value === '') throw errors.configNameRequired();
  if (typeof value !== 'string' || value.length > MAX_NAME) throw errors.invalidConfigName(String(value));
  return value;
}

export function scopeOf(store: CodeDeployStore, ctx: RequestContext): CodeDeployScope {
  return store.scope({ account: ctx.account, region: ctx.region });
}

export function existingApplication(scope: CodeDeployScope, name: string): StoredApplication {
  const app = scope.applications.get(name);
  if (!app) throw errors.applicationNotFound(name);
  return app;
}

export function existingDeployment(scope: CodeDeployScope, id: unknown): StoredDeployment {
  if (id === undefined || id === null || id === '') throw errors.deploymentIdRequired();
  if (typeof id !== 'string' || !DEPLOYMENT_ID.test(id)) throw errors.invalidDeploymentId(String(id));
  const found = scope.deployments.get(id);
  if (!found) throw errors.deploymentNotFound(id);
  return found;
}

/**
 * One page of sorted names. The token is the last name of the previous page,
 * encoded, so a page stays right when names are added or removed between calls.
 */
export function page(names: string[], nextToken: unknown): { items: string[]; nextToken?: string } {
  const sorted = [...names].sort(byCodeUnits);
  let start = 0;
  if (nextToken !== undefined && nextToken !== null) {
    if (typeof nextToken !== 'string') throw errors.invalidNextToken();
    const after = Buffer.from(nextToken, 'base64url').toString('utf8');
    if (!after || Buffer.from(after, 'utf8').toString('base64url') !== nextToken) throw errors.invalidNextToken();
    start = sorted.findIndex((name) => name > after);
    if (start < 0) start = sorted.length;
  }
  const items = sorted.slice(start, start + PAGE_SIZE);
  const last = items.at(-1);
  return start + PAGE_SIZE < sorted.length && last !== undefined ? { items, nextToken: Buffer.from(last, 'utf8').toString('base64url') } : { items };
}
