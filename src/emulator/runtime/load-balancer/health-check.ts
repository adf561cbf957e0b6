import { request } from 'node:http';
import type { CodeRange } from './health-matcher.js';
import { matches } from './health-matcher.js';
import type { CheckResult } from './health-state.js';

/**
 * One ALB health check: GET the path on a fresh connection (ALB closes the
 * connection after each check) and judge the status code.
 */

export interface HealthCheckRequest {
  host: string;
  port: number;
  path: string;
  ranges: readonly CodeRange[];
  timeoutRealMs: number;
  signal: AbortSignal;
}

export function runHealthCheck(check: HealthCheckRequest): Promise<CheckResult> {
  return new Promise((resolve) => {
    let done = false;
    const settle = (result: CheckResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(result);
    };
    const req = request({
      host: check.host,
      port: check.port,
      method: 'GET',
      path: check.path,
      agent: false,
      headers: { 'user-agent': 'ELB-HealthChecker/2.0', connection: 'close', accept: '*/*' },
      signal: check.signal,
    });
    const timer = setTimeout(() => settle({ ok: false, reason: 'Target.Timeout' }), check.timeoutRealMs);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      settle(matches(check.ranges, status) ? { ok: true } : { ok: false, reason: 'Target.ResponseCodeMismatch', status });
    });
    req.on('error', (err: NodeJS.ErrnoException) => settle({ ok: false, reason: 'Target.FailedHealthChecks', refused: err.code === 'ECONNREFUSED' }));
    req.end();
  });
}
