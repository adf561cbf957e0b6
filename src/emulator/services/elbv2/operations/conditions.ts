import { isIPv4, isIPv6 } from 'node:net';
import { validation } from '../elb-errors.js';
import type { StoredCondition } from '../model.js';
import type { QueryReader } from '../query-input.js';

/**
 * A rule's Conditions, checked against ALB's documented limits: at most one
 * each of host-header, http-request-method, path-pattern and source-ip (any
 * number of http-header and query-string), up to three values per condition,
 * five values and five wildcards per rule.
 */

const FIELDS = ['host-header', 'http-header', 'http-request-method', 'path-pattern', 'query-string', 'source-ip'];
const SINGLE_FIELDS = ['host-header', 'http-request-method', 'path-pattern', 'source-ip'];
const MAX_VALUES_PER_CONDITION = 3;
const MAX_VALUES_PER_RULE = 5;
const MAX_WILDCARDS_PER_RULE = 5;
const MAX_PATTERN_LENGTH = 128;

export function readConditions(list: QueryReader[] | undefined): StoredCondition[] {
  if (!list) throw validation("1 validation error detected: Value null at 'conditions' failed to satisfy constraint: Member must not be null");
  if (list.length === 0) throw validation('A rule must have at least one condition');
  const conditions = list.map(readCondition);
  for (const field of SINGLE_FIELDS) {
    if (conditions.filter((c) => c.field === field).length > 1) throw validation(`A rule can have only one '${field}' condition`);
  }
  const values = conditions.reduce((sum, c) => sum + c.values.length, 0);
  if (values > MAX_VALUES_PER_RULE) throw validation(`A rule can only have '${MAX_VALUES_PER_RULE}' condition values`);
  const wildcards = conditions.reduce((sum, c) => sum + wildcardCount(c), 0);
  if (wildcards > MAX_WILDCARDS_PER_RULE) throw validation(`A rule can only have '${MAX_WILDCARDS_PER_RULE}' wildcards`);
  return conditions;
}

function wildcardCount(c: StoredCondition): number {
  const count = (text: string | undefined): number => (text?.match(/[*?]/g) ?? []).length;
  switch (c.field) {
    case 'path-pattern':
    case 'host-header':
    case 'http-header':
      return c.values.reduce((sum, v) => sum + count(v), 0);
    case 'query-string':
      return c.values.reduce((sum, v) => sum + count(v.key) + count(v.value), 0);
    case 'http-request-method':
    case 'source-ip':
      return 0;
  }
}

/** A config's Values: present, not empty, at most three. */
function configValues(config: QueryReader | undefined, field: string): string[] {
  const values = config?.stringList('Values');
  if (!values || values.length === 0) throw validation(`A '${field}' condition must have at least one value`);
  return values;
}

function checkCount(field: string, count: number): void {
  if (count > MAX_VALUES_PER_CONDITION) throw validation(`A '${field}' condition can have at most ${MAX_VALUES_PER_CONDITION} values`);
}

function checkPattern(field: string, value: string): void {
  if (value.length === 0 || value.length > MAX_PATTERN_LENGTH) {
    throw validation(`A '${field}' value must be between 1 and ${MAX_PATTERN_LENGTH} characters long`);
  }
}

/** path-pattern and host-header take either the legacy Values (one value) or their config. */
function patternValues(q: QueryReader, field: 'path-pattern' | 'host-header'): string[] {
  const config = q.object(field === 'path-pattern' ? 'PathPatternConfig' : 'HostHeaderConfig');
  const legacy = q.stringList('Values');
  const fromConfig = config ? configValues(config, field) : undefined;
  if (legacy && legacy.length > 1) throw validation(`Only one '${field}' value can be given in 'Values'; use the condition's config for more`);
  if (legacy && fromConfig && JSON.stringify(legacy) !== JSON.stringify(fromConfig)) {
    throw validation(`'Values' and the '${field}' config must not give different values`);
  }
  const values = fromConfig ?? legacy;
  if (!values || values.length === 0) throw validation(`A '${field}' condition must have at least one value`);
  return values;
}

function isCidr(value: string): boolean {
  const [address = '', prefix = '', ...rest] = value.split('/');
  if (rest.length > 0 || !/^\d{1,3}$/.test(prefix)) return false;
  if (isIPv4(address)) return Number(prefix) <= 32;
  return isIPv6(address) && Number(prefix) <= 128;
}

function readCondition(q: QueryReader): StoredCondition {
  const field = q.string('Field');
  if (field === undefined) throw validation('A condition field must be specified');
  if (!FIELDS.includes(field)) throw validation(`Condition field '${field}' is not valid: use ${FIELDS.join(', ')}`);
  if (q.has('RegexValues')) throw validation('Regular expression conditions (RegexValues) are not emulated by ecs-rollout; see docs/emulator-fidelity.md');
  if (q.has('Values') && field !== 'path-pattern' && field !== 'host-header') {
    throw validation(`'Values' can be given only for 'path-pattern' and 'host-header' conditions; use the '${field}' condition's config`);
  }
  switch (field) {
    case 'path-pattern':
    case 'host-header': {
      const values = patternValues(q, field);
      checkCount(field, values.length);
      for (const v of values) checkPattern(field, v);
      return { field, values };
    }
    case 'http-header': {
      const config = q.object('HttpHeaderConfig');
      const name = config?.string('HttpHeaderName');
      if (!name) throw validation("An 'http-header' condition must have an HTTP header name");
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,40}$/.test(name)) throw validation(`HTTP header name '${name}' is not valid`);
      if (name.toLowerCase() === 'host') throw validation("Use a 'host-header' condition to match the Host header");
      const values = configValues(config, field);
      checkCount(field, values.length);
      for (const v of values) checkPattern(field, v);
      return { field, name, values };
    }
    case 'http-request-method': {
      const values = configValues(q.object('HttpRequestMethodConfig'), field);
      checkCount(field, values.length);
      for (const v of values) {
        if (!/^[A-Z_-]{1,40}$/.test(v)) throw validation(`HTTP request method '${v}' is not valid: use upper-case letters, '_' and '-' only`);
      }
      return { field, values };
    }
    case 'query-string': {
      const pairs = q.object('QueryStringConfig')?.objectList('Values');
      if (!pairs || pairs.length === 0) throw validation("A 'query-string' condition must have at least one value");
      checkCount(field, pairs.length);
      const values = pairs.map((p) => {
        const key = p.string('Key');
        const value = p.string('Value');
        if (value === undefined || value.length === 0) throw validation("A 'query-string' value must have a 'Value'");
        if (key !== undefined) checkPattern(field, key);
        checkPattern(field, value);
        return { key, value };
      });
      return { field, values };
    }
    case 'source-ip': {
      const values = configValues(q.object('SourceIpConfig'), field);
      checkCount(field, values.length);
      for (const v of values) if (!isCidr(v)) throw validation(`Source IP '${v}' must be a CIDR block, such as 192.0.2.0/24 or 2001:db8::/32`);
      return { field, values };
    }
    default:
      throw validation(`Condition field '${field}' is not valid: use ${FIELDS.join(', ')}`);
  }
}
