import type { Scope } from './store.js';
import { errors } from './catalogue.js';

export const NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

export const functionArn = (scope: Scope, name: string): string => `arn:aws:lambda:${scope.region}:${scope.account}:function:${name}`;

/**
 * A FunctionName parameter: a name, a partial ARN (ACCOUNT:function:NAME) or
 * a full ARN, each with an optional :QUALIFIER. Another account or Region
 * names a function this scope does not hold.
 */
export function functionRef(ref: string, scope: Scope): { name: string; qualifier: string | undefined; here: boolean } {
  const full = /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(ref);
  if (full) {
    const [, region, account, name = '', qualifier] = full;
    return { name, qualifier, here: region === scope.region && account === scope.account };
  }
  const partial = /^(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/.exec(ref);
  if (partial) {
    const [, account, name = '', qualifier] = partial;
    return { name, qualifier, here: account === scope.account };
  }
  const bare = /^([a-zA-Z0-9_-]{1,64})(?::([a-zA-Z0-9$_-]+))?$/.exec(ref);
  if (bare) return { name: bare[1] ?? '', qualifier: bare[2], here: true };
  throw errors.validation(
    `Value '${ref}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`,
  );
}
