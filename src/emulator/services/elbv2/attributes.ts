import { validation } from './elb-errors.js';

/**
 * Load balancer and target group attributes with AWS's defaults for an
 * Application Load Balancer and its HTTP target groups. Only the keys listed
 * here are accepted, each checked as AWS checks it.
 */

type Check = (value: string) => boolean;

const bool: Check = (v) => v === 'true' || v === 'false';
const intIn = (min: number, max: number): Check => (v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
const oneOf = (...values: string[]): Check => (v) => values.includes(v);
const any: Check = () => true;

const TARGET_GROUP_ATTRIBUTES: Record<string, { default: string; check: Check }> = {
  'deregistration_delay.timeout_seconds': { default: '300', check: intIn(0, 3600) },
  'stickiness.enabled': { default: 'false', check: bool },
  'stickiness.type': { default: 'lb_cookie', check: oneOf('lb_cookie', 'app_cookie') },
  'stickiness.lb_cookie.duration_seconds': { default: '86400', check: intIn(1, 604800) },
  'stickiness.app_cookie.cookie_name': { default: '', check: any },
  'stickiness.app_cookie.duration_seconds': { default: '86400', check: intIn(1, 604800) },
  'slow_start.duration_seconds': { default: '0', check: (v) => v === '0' || intIn(30, 900)(v) },
  'load_balancing.algorithm.type': { default: 'round_robin', check: oneOf('round_robin', 'least_outstanding_requests', 'weighted_random') },
  'load_balancing.algorithm.anomaly_mitigation': { default: 'off', check: oneOf('on', 'off') },
  'load_balancing.cross_zone.enabled': { default: 'use_load_balancer_configuration', check: oneOf('true', 'false', 'use_load_balancer_configuration') },
  'target_group_health.dns_failover.minimum_healthy_targets.count': { default: '1', check: (v) => v === 'off' || intIn(1, 1000)(v) },
  'target_group_health.dns_failover.minimum_healthy_targets.percentage': { default: 'off', check: (v) => v === 'off' || intIn(1, 100)(v) },
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.count': { default: '1', check: intIn(1, 1000) },
  'target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage': { default: 'off', check: (v) => v === 'off' || intIn(1, 100)(v) },
};

const LOAD_BALANCER_ATTRIBUTES: Record<string, { default: string; check: Check }> = {
  'idle_timeout.timeout_seconds': { default: '60', check: intIn(1, 4000) },
  'deletion_protection.enabled': { default: 'false', check: bool },
  'access_logs.s3.enabled': { default: 'false', check: bool },
  'access_logs.s3.bucket': { default: '', check: any },
  'access_logs.s3.prefix': { default: '', check: any },
  'connection_logs.s3.enabled': { default: 'false', check: bool },
  'connection_logs.s3.bucket': { default: '', check: any },
  'connection_logs.s3.prefix': { default: '', check: any },
  'client_keep_alive.seconds': { default: '3600', check: intIn(60, 604800) },
  'routing.http2.enabled': { default: 'true', check: bool },
  'routing.http.drop_invalid_header_fields.enabled': { default: 'false', check: bool },
  'routing.http.desync_mitigation_mode': { default: 'defensive', check: oneOf('monitor', 'defensive', 'strictest') },
  'routing.http.preserve_host_header.enabled': { default: 'false', check: bool },
  'routing.http.x_amz_tls_version_and_cipher_suite.enabled': { default: 'false', check: bool },
  'routing.http.xff_client_port.enabled': { default: 'false', check: bool },
  'routing.http.xff_header_processing.mode': { default: 'append', check: oneOf('append', 'preserve', 'remove') },
  'waf.fail_open.enabled': { default: 'false', check: bool },
  'zonal_shift.config.enabled': { default: 'false', check: bool },
};

const defaults = (table: Record<string, { default: string }>): Record<string, string> =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v.default]));

export const defaultTargetGroupAttributes = (): Record<string, string> => defaults(TARGET_GROUP_ATTRIBUTES);
export const defaultLoadBalancerAttributes = (): Record<string, string> => defaults(LOAD_BALANCER_ATTRIBUTES);

function apply(
  kind: 'Target group' | 'Load balancer',
  table: Record<string, { check: Check }>,
  current: Record<string, string>,
  changes: Array<{ key: string | undefined; value: string | undefined }>,
): Record<string, string> {
  const next = { ...current };
  for (const { key, value } of changes) {
    if (!key) throw validation(`${kind} attribute key must be specified`);
    const spec = table[key];
    if (!spec) throw validation(`${kind} attribute key '${key}' is not recognized`);
    const v = value ?? '';
    if (!spec.check(v)) throw validation(`${kind} attribute '${key}' has an invalid value '${v}'`);
    next[key] = v;
  }
  return next;
}

export const applyTargetGroupAttributes = (current: Record<string, string>, changes: Array<{ key: string | undefined; value: string | undefined }>) =>
  apply('Target group', TARGET_GROUP_ATTRIBUTES, current, changes);
export const applyLoadBalancerAttributes = (current: Record<string, string>, changes: Array<{ key: string | undefined; value: string | undefined }>) =>
  apply('Load balancer', LOAD_BALANCER_ATTRIBUTES, current, changes);

export const attributeList = (attributes: Record<string, string>): Array<{ Key: string; Value: string }> =>
  Object.entries(attributes).map(([Key, Value]) => ({ Key, Value }));
