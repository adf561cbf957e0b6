import { errors } from './catalogue.js';

type Scope = { account: string; region: string };

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;
const PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:([a-z0-9-]+):(\d{12}):parameter(\/.*)$/;
/** Names under these prefixes are reserved for AWS (public parameters live under /aws/). */
const RESERVED = /^\/?(aws|ssm)/i;

/** A parameter's ARN: a hierarchical name keeps its leading slash, a plain name gets one. */
export const parameterArn = (scope: Scope, name: string): string =>
  `arn:aws:ssm:${scope.region}:${scope.account}:parameter${name.startsWith('/') ? name : `/${name}`}`;

/** Parameter Store's name rules: its characters, and a name with a "/" must be a full path ("/a/b"). */
export function checkName(name: string): void {
  if (!NAME_CHARS.test(name)) throw errors.invalidName();
  if (name.includes('/') && (!name.startsWith('/') || name.endsWith('/') || name.includes('//'))) throw errors.invalidName();
}

/** A name PutParameter may create: valid, and not in the aws/ssm namespaces. */
export function checkNewName(name: string): void {
  checkName(name);
  if (RESERVED.test(name)) throw errors.invalidName();
}

/**
 * What a GetParameter(s) Name names: a name or a parameter ARN, each with
 * an optional ":selector" (a version number or a label). The ARN's resource
 * "parameter/x" is the plain name "x"; "parameter/a/b" is "/a/b". An ARN of
 * another account or Region names nothing here: sharing is not emulated.
 */
export function parameterRef(ref: string, scope: Scope): { name: string; selector: string | undefined; here: boolean } {
  const arn = PARAMETER_ARN.exec(ref);
  let rest = ref;
  let here = true;
  if (arn) {
    const [, region, account, resource = ''] = arn;
    here = region === scope.region && account === scope.account;
    rest = resource.indexOf('/', 1) < 0 ? resource.slice(1) : resource;
  }
  const colon = rest.indexOf(':');
  const name = colon < 0 ? rest : rest.slice(0, colon);
  const selector = colon < 0 ? undefined : rest.slice(colon + 1);
  checkName(name);
  return { name, selector, here };
}
