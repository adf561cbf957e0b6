import type { ContainerDefinition, Service, TaskDefinition } from '@aws-sdk/client-ecs';
import { RolloutError, systemError } from '../spec/errors.js';
import type { EventBody, PreflightCheck } from './events.js';
import type { Ports, ReleaseResourcePort } from './ports.js';
import { runPreflight, type PreflightFindings, type PreflightRequest } from './preflight.js';

/** One thing a release needs that verify reads, with what to do when it is missing. */
export interface ResourceCheck {
  check: PreflightCheck;
  /** What is checked, e.g. "execution role arn:aws:iam::1:role/web-exec". */
  what: string;
  run: (resources: ReleaseResourcePort, signal?: AbortSignal) => Promise<{ ok: true; detail: string } | { ok: false; problem: string }>;
}

/**
 * The resources a task definition and its service name, as checks. Pure.
 * Roles (execution and task), each secret's valueFrom (Secrets Manager ARN,
 * else an SSM parameter name or ARN), each awslogs log group (created by ECS
 * when awslogs-create-group is "true"), each load balancer's target group and
 * that the container exposes the port the service routes to.
 */
export function resourceChecks(taskDefinition: TaskDefinition, service: Service): ResourceCheck[] {
  const checks: ResourceCheck[] = [];
  const role = (kind: string, arn: string | undefined): void => {
    if (!arn) return;
    checks.push({
      check: 'role', what: `${kind} ${arn}`,
      run: async (r, s) => ((await r.roleExists(arn, s)) ? { ok: true, detail: 'exists' } : { ok: false, problem: `IAM role ${arn} (the task definition's ${kind}) does not exist; create it, or fix ${kind === 'execution role' ? 'executionRoleArn' : 'taskRoleArn'} in the task definition` }),
    });
  };
  role('execution role', taskDefinition.executionRoleArn);
  role('task role', taskDefinition.taskRoleArn);

  for (const container of taskDefinition.containerDefinitions ?? []) {
    for (const secret of container.secrets ?? []) {
      const from = secret.valueFrom ?? '';
      const where = `secret ${secret.name ?? ''} of container ${container.name ?? ''}`;
      if (from.startsWith('arn:aws:secretsmanager:')) {
        checks.push({
          check: 'secret', what: `${where} (${from})`,
          run: async (r, s) => ((await r.secretExists(from, s)) ? { ok: true, detail: 'exists in Secrets Manager' } : { ok: false, problem: `${where}: Secrets Manager has no secret ${from}; create it (aws secretsmanager create-secret) or fix valueFrom` }),
        });
      } else {
        checks.push({
          check: 'secret', what: `${where} (${from})`,
          run: async (r, s) => ((await r.missingParameters([from], s)).length === 0 ? { ok: true, detail: 'exists in SSM Parameter Store' } : { ok: false, problem: `${where}: SSM Parameter Store has no parameter ${from}; create it (aws ssm put-parameter) or fix valueFrom` }),
        });
      }
    }
    const logs = awslogsOf(container);
    if (logs) {
      checks.push({
        check: 'log-group', what: `log group ${logs.group} of container ${container.name ?? ''}`,
        run: async (r, s) => {
          if (await r.logGroupExists(logs.group, logs.region, s)) return { ok: true, detail: 'exists' };
          if (logs.create) return { ok: true, detail: 'does not exist yet; ECS creates it (awslogs-create-group)' };
          return { ok: false, problem: `log group ${logs.group}${logs.region ? ` in ${logs.region}` : ''} (awslogs of container ${container.name ?? ''}) does not exist, so the task cannot start; create it (aws logs create-log-group) or set awslogs-create-group to "true"` };
        },
      });
    }
  }

  for (const lb of service.loadBalancers ?? []) {
    const arn = lb.targetGroupArn;
    if (!arn) continue;
    const container = (taskDefinition.containerDefinitions ?? []).find((c) => c.name === lb.containerName);
    checks.push({
      check: 'target-group', what: `target group ${arn} (container ${lb.containerName ?? ''} port ${lb.containerPort ?? '-'})`,
      run: async (r, s) => {
        const found = await r.targetGroupPorts([arn], s);
        if (!found.has(arn)) return { ok: false, problem: `target group ${arn} of service ${service.serviceName ?? ''} does not exist; create it or fix the service's loadBalancers` };
        if (!container) return { ok: false, problem: `service ${service.serviceName ?? ''} routes target group ${arn} to container ${lb.containerName ?? ''}, which the task definition does not have; rename the container or update the service` };
        const ports = (container.portMappings ?? []).map((p) => p.containerPort);
        if (!ports.includes(lb.containerPort)) {
          return { ok: false, problem: `service ${service.serviceName ?? ''} routes target group ${arn} to port ${lb.containerPort ?? '-'} of container ${container.name ?? ''}, which maps ${ports.length ? ports.join(', ') : 'no ports'}; add a portMapping for ${lb.containerPort ?? '-'}` };
        }
        return { ok: true, detail: `exists; container ${container.name ?? ''} maps port ${lb.containerPort ?? '-'}` };
      },
    });
  }
  return checks;
}

function awslogsOf(container: ContainerDefinition): { group: string; region: string | undefined; create: boolean } | undefined {
  const config = container.logConfiguration;
  const group = config?.options?.['awslogs-group'];
  if (config?.logDriver !== 'awslogs' || !group) return undefined;
  return { group, region: config.options?.['awslogs-region'], create: config.options?.['awslogs-create-group'] === 'true' };
}

/**
 * Everything a release needs, checked before anything changes: the deploy
 * preflight (cluster, service, task definition, container, image in ECR),
 * then every resource the task definition and the service name. All of
 * those are checked, not only up to the first miss; each miss names the
 * resource and the fix. Throws one PreflightFailed error listing them.
 */
export async function verifyRelease(ports: Ports, request: PreflightRequest, emit: (event: EventBody) => void, signal?: AbortSignal): Promise<PreflightFindings> {
  const findings = await runPreflight(ports, request, emit, signal);
  const resources = ports.resources;
  if (!resources) return findings;
  const problems: string[] = [];
  for (const check of resourceChecks(findings.taskDefinition, findings.service)) {
    let outcome;
    try {
      outcome = await check.run(resources, signal);
    } catch (err) {
      throw systemError(`check ${check.what}`, err);
    }
    if (outcome.ok) emit({ type: 'preflight-passed', check: check.check, message: `${check.what}: ${outcome.detail}` });
    else {
      emit({ type: 'preflight-failed', check: check.check, message: outcome.problem });
      problems.push(outcome.problem);
    }
  }
  if (problems.length) throw new RolloutError('PreflightFailed', `preflight failed: ${problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join('; ')}`}`);
  return findings;
}
