import type {
  DescribeTasksRequest, DescribeTasksResponse, Failure, ListTasksRequest, ListTasksResponse, StopTaskRequest, StopTaskResponse,
} from '@aws-sdk/client-ecs';
import { fields } from '../../../input-validation.js';
import type { Operation } from '../../../service.js';
import { taskArn, taskIdOf } from '../arns.js';
import { errors, stopReasons } from '../catalogue.js';
import type { StoredTask } from '../model.js';
import { page } from '../paging.js';
import { parseTaskDefinitionRef } from '../task-definition-lookup.js';
import { taskView } from '../views.js';
import { activeCluster, includesTags, scopeOf, type EcsContext } from './context.js';

export type TaskOps = {
  ListTasks: Operation<ListTasksRequest, ListTasksResponse>;
  DescribeTasks: Operation<DescribeTasksRequest, DescribeTasksResponse>;
  StopTask: Operation<StopTaskRequest, StopTaskResponse>;
};

export function taskOperations(c: EcsContext): TaskOps {
  const findTask = (tasks: Map<string, StoredTask>, clusterName: string, ref: string): StoredTask | undefined => {
    const id = taskIdOf(ref);
    return [...tasks.values()].find((t) => t.clusterName === clusterName && t.taskId === id);
  };
  return {
    ListTasks(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const state = c.store.state(ctx);
      const cluster = activeCluster(state, f.optionalString('cluster'));
      const serviceName = f.optionalString('serviceName');
      if (serviceName !== undefined && ![...state.services.values()].some((s) => s.clusterName === cluster.clusterName && s.serviceName === serviceName.split('/').pop())) {
        throw errors.serviceNotFound();
      }
      const family = f.optionalString('family');
      const startedBy = f.optionalString('startedBy');
      const desired = f.optionalString('desiredStatus') ?? 'RUNNING';
      if (!['RUNNING', 'PENDING', 'STOPPED'].includes(desired)) throw errors.invalid('desiredStatus must be one of RUNNING, PENDING, STOPPED.');
      f.optionalString('launchType');
      const arns = [...state.tasks.values()]
        .filter((t) => t.clusterName === cluster.clusterName)
        .filter((t) => serviceName === undefined || t.serviceName === serviceName.split('/').pop())
        .filter((t) => family === undefined || parseTaskDefinitionRef(t.taskDefinitionArn).family === family)
        .filter((t) => startedBy === undefined || t.startedBy === startedBy)
        .filter((t) => (desired === 'STOPPED' ? t.desiredStatus === 'STOPPED' : t.desiredStatus === 'RUNNING'))
        .filter((t) => input.launchType === undefined || t.launchType === input.launchType)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
        .map((t) => t.taskArn);
      const p = page(arns, input.maxResults, input.nextToken, 100);
      return { taskArns: p.items, nextToken: p.nextToken };
    },

    DescribeTasks(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const refs = f.optionalStringList('tasks');
      if (!refs || refs.length === 0) throw errors.invalid('Tasks cannot be empty.');
      if (refs.length > 100) throw errors.invalid('The number of tasks must be less than or equal to 100.');
      const scope = scopeOf(ctx);
      const state = c.store.state(scope);
      const cluster = activeCluster(state, f.optionalString('cluster'));
      const failures: Failure[] = [];
      const tasks = refs.flatMap((ref) => {
        const task = findTask(state.tasks, cluster.clusterName, ref);
        if (!task) {
          failures.push({ arn: ref.startsWith('arn:') ? ref : taskArn(scope, cluster.clusterName, ref), reason: 'MISSING' });
          return [];
        }
        return [taskView(task, includesTags(input.include))];
      });
      return { tasks, failures };
    },

    StopTask(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const scope = scopeOf(ctx);
      const state = c.store.state(scope);
      const cluster = activeCluster(state, f.optionalString('cluster'));
      const ref = f.string('task');
      const task = findTask(state.tasks, cluster.clusterName, ref);
      if (!task) throw errors.invalid('The referenced task was not found.');
      const reason = f.optionalString('reason');
      if (task.desiredStatus === 'RUNNING') c.scheduler.stopTask(scope, task, reason && reason.length > 0 ? reason : stopReasons.userDefault);
      return { task: taskView(task, false) };
    },
  };
}
