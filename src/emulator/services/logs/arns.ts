import type { Scope } from './store.js';

/** DescribeLogGroups' `arn` ends in ":*"; `logGroupArn` (and what other services take) does not. */
export const logGroupArn = (scope: Scope, name: string): string => `arn:aws:logs:${scope.region}:${scope.account}:log-group:${name}`;

export const logStreamArn = (scope: Scope, group: string, stream: string): string => `${logGroupArn(scope, group)}:log-stream:${stream}`;

/**
 * The group a logGroupIdentifier names: a name, or an ARN (with or without
 * ":*") in the caller's account and Region. An ARN elsewhere names nothing
 * here (cross-account observability is not emulated).
 */
export function groupNameOf(identifier: string, scope: Scope): string | undefined {
  if (!identifier.startsWith('arn:')) return identifier;
  const match = /^arn:aws[a-z-]*:logs:([^:]+):(\d{12}):log-group:([^:]+)(?::\*)?$/.exec(identifier);
  if (!match || match[1] !== scope.region || match[2] !== scope.account) return undefined;
  return match[3];
}
