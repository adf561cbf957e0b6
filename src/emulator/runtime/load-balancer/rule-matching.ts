import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Listener rule conditions and how ALB evaluates them: the conditions of a
 * rule must all match (AND), a condition matches when any of its values does
 * (OR), and rules are tried in priority order, first match wins.
 */

export type RuleCondition =
  | { field: 'path-pattern'; values: string[] }
  | { field: 'host-header'; values: string[] }
  | { field: 'http-header'; name: string; values: string[] }
  | { field: 'http-request-method'; values: string[] }
  | { field: 'query-string'; values: Array<{ key: string | undefined; value: string }> }
  | { field: 'source-ip'; values: string[] };

/** What conditions look at in a request. */
export interface RequestFacts {
  method: string;
  /** The request target as sent: path plus optional `?query`. */
  url: string;
  /** The Host header, possibly with a port. */
  host: string;
  /** Header values by lower-case name, as node gives them. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The client's address (the socket's peer, not X-Forwarded-For). */
  sourceIp: string;
}

/**
 * `*` matches any run of characters (including none), `?` exactly one; every
 * other character stands for itself. The whole subject must match.
 */
export function wildcardMatch(pattern: string, subject: string, caseInsensitive: boolean): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const s = caseInsensitive ? subject.toLowerCase() : subject;
  // Iterative glob match with single-star backtracking: linear enough for 128-character patterns.
  let pi = 0;
  let si = 0;
  let star = -1;
  let resume = 0;
  while (si < s.length) {
    if (pi < p.length && (p[pi] === '?' || p[pi] === s[si])) {
      pi++;
      si++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      resume = si;
    } else if (star >= 0) {
      pi = star + 1;
      si = ++resume;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/** The address as a plain IPv4 address when it is an IPv4-mapped IPv6 one (`::ffff:127.0.0.1`). */
function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** Whether a CIDR block (`10.0.0.0/8`, `::1/128`) holds the address. Malformed blocks hold nothing. */
export function cidrContains(cidr: string, address: string): boolean {
  const [base = '', prefixText = ''] = cidr.split('/');
  const ip = plainAddress(address);
  const family = isIPv4(base) ? 'ipv4' : isIPv6(base) ? 'ipv6' : undefined;
  const prefix = Number(prefixText);
  if (!family || !/^\d+$/.test(prefixText) || prefix > (family === 'ipv4' ? 32 : 128)) return false;
  if ((family === 'ipv4' && !isIPv4(ip)) || (family === 'ipv6' && !isIPv6(ip))) return false;
  const list = new BlockList();
  list.addSubnet(base, prefix, family);
  return list.check(ip, family);
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}

function queryPairs(url: string): Array<{ key: string; value: string }> {
  const at = url.indexOf('?');
  if (at < 0) return [];
  return [...new URLSearchParams(url.slice(at + 1))].map(([key, value]) => ({ key, value }));
}

export function conditionMatches(condition: RuleCondition, request: RequestFacts): boolean {
  switch (condition.field) {
    case 'path-pattern': {
      // ALB compares the path only, never the query string; case matters.
      const path = request.url.split('?')[0] ?? '/';
      return condition.values.some((v) => wildcardMatch(v, path, false));
    }
    case 'host-header': {
      const host = request.host.replace(/:\d+$/, '');
      return condition.values.some((v) => wildcardMatch(v, host, true));
    }
    case 'http-header': {
      const value = headerText(request.headers[condition.name.toLowerCase()]);
      return value !== undefined && condition.values.some((v) => wildcardMatch(v, value, true));
    }
    case 'http-request-method':
      // Methods are compared exactly: no wildcards, case sensitive.
      return condition.values.includes(request.method);
    case 'query-string': {
      const pairs = queryPairs(request.url);
      return condition.values.some((want) =>
        pairs.some(
          (have) => (want.key === undefined || wildcardMatch(want.key, have.key, true)) && wildcardMatch(want.value, have.value, true),
        ),
      );
    }
    case 'source-ip':
      return condition.values.some((cidr) => cidrContains(cidr, request.sourceIp));
  }
}

export function ruleMatches(conditions: readonly RuleCondition[], request: RequestFacts): boolean {
  return conditions.every((c) => conditionMatches(c, request));
}

/** The first rule (lowest priority number) whose conditions all match, or undefined for the default rule. */
export function selectRule<R extends { priority: number; conditions: readonly RuleCondition[] }>(
  rules: readonly R[],
  request: RequestFacts,
): R | undefined {
  return [...rules].sort((a, b) => a.priority - b.priority).find((r) => ruleMatches(r.conditions, request));
}
