import { createHash } from 'node:crypto';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import type { Scope } from '../../services/ecs/store.js';

/**
 * The awslogs log driver's options, read as Docker's awslogs driver reads
 * them (the ECS agent and Fargate hand the task definition's options to it):
 * `awslogs-group` is required, `awslogs-create-group` is a Go boolean,
 * `awslogs-region` picks the Region the group lives in, and with
 * `awslogs-stream-prefix` a container writes to PREFIX/CONTAINER/TASK-ID.
 * Without a prefix Docker names the stream after the container id; the
 * emulator has no container ids, so it uses 64 hex digits derived from the
 * task ARN and container name: a stable stand-in of the same shape.
 * Pure: what happens with a target (open the stream, write lines) is the
 * task lifecycle's.
 */

/** Where one container's output goes. */
export interface AwsLogsTarget {
  container: string;
  scope: Scope;
  group: string;
  stream: string;
  createGroup: boolean;
}

export type AwsLogsSetup =
  | { ok: true; targets: AwsLogsTarget[] }
  /** `problem` is the driver's own complaint, before ECS wraps it in a stop reason. */
  | { ok: false; container: string; problem: string };

/** Go's strconv.ParseBool, which Docker applies to awslogs-create-group. */
function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

export function awslogsTargets(definitions: readonly ContainerDefinition[], task: { taskArn: string; taskId: string }, scope: Scope): AwsLogsSetup {
  const targets: AwsLogsTarget[] = [];
  for (const def of definitions) {
    const config = def.logConfiguration;
    if (config?.logDriver !== 'awslogs') continue;
    const container = def.name ?? '';
    const options = config.options ?? {};
    const group = options['awslogs-group'] ?? '';
    if (group === '') return { ok: false, container, problem: "must specify a value for log opt 'awslogs-group'" };
    const createGroupOption = options['awslogs-create-group'];
    const createGroup = createGroupOption === undefined || createGroupOption === '' ? false : parseGoBool(createGroupOption);
    if (createGroup === undefined) {
      return {
        ok: false,
        container,
        problem: `must specify valid value for log opt 'awslogs-create-group': strconv.ParseBool: parsing ${JSON.stringify(createGroupOption)}: invalid syntax`,
      };
    }
    const prefix = options['awslogs-stream-prefix'];
    const stream = prefix
      ? `${prefix}/${container}/${task.taskId}`
      : createHash('sha256').update(`${task.taskArn}/${container}`).digest('hex');
    const region = options['awslogs-region'] || scope.region;
    targets.push({ container, scope: { account: scope.account, region }, group, stream, createGroup });
  }
  return { ok: true, targets };
}
