import type {
  ContinueServiceDeploymentRequest, ContinueServiceDeploymentResponse, StopServiceDeploymentRequest, StopServiceDeploymentResponse,
  DescribeServiceDeploymentsRequest, DescribeServiceDeploymentsResponse, DescribeServiceRevisionsRequest,
  DescribeServiceRevisionsResponse, Failure, ListServiceDeploymentsRequest, ListServiceDeploymentsResponse,
} from '@aws-sdk/client-ecs';
import { fields } from '../../../input-validation.js';
import type { Operation } from '../../../service.js';
import { errors } from '../catalogue.js';
import { page } from '../paging.js';
import { serviceDeploymentBrief, serviceDeploymentView } from '../views.js';
import { findService, scopeOf, type EcsContext } from './context.js';

export type ServiceDeploymentOps = {
  ListServiceDeployments: Operation<ListServiceDeploymentsRequest, ListServiceDeploymentsResponse>;
  DescribeServiceDeployments: Operation<DescribeServiceDeploymentsRequest, DescribeServiceDeploymentsResponse>;
  DescribeServiceRevisions: Operation<DescribeServiceRevisionsRequest, DescribeServiceRevisionsResponse>;
  StopServiceDeployment: Operation<StopServiceDeploymentRequest, StopServiceDeploymentResponse>;
  ContinueServiceDeployment: Operation<ContinueServiceDeploymentRequest, ContinueServiceDeploymentResponse>;
};

export function serviceDeploymentOperations(c: EcsContext): ServiceDeploymentOps {
  return {
    ListServiceDeployments(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const state = c.store.state(ctx);
      const service = findService(state, f.optionalString('cluster'), f.string('service'));
      const statuses = f.optionalStringList('status');
      const after = toDate(input.createdAt?.after);
      const before = toDate(input.createdAt?.before);
      const records = [...state.serviceDeployments.values()]
        .filter((r) => r.serviceArn === service.serviceArn)
        .filter((r) => !statuses || statuses.length === 0 || statuses.includes(r.status))
        .filter((r) => !after || r.createdAt.getTime() >= after.getTime())
        .filter((r) => !before || r.createdAt.getTime() <= before.getTime())
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      const p = page(records, input.maxResults, input.nextToken, 20, 100);
      return { serviceDeployments: p.items.map(serviceDeploymentBrief), nextToken: p.nextToken };
    },

    DescribeServiceDeployments(input, ctx) {
      const arns = fields(input, 'InvalidParameterException').optionalStringList('serviceDeploymentArns');
      if (!arns || arns.length === 0) throw errors.invalid('serviceDeploymentArns cannot be empty.');
      if (arns.length > 20) throw errors.invalid('The number of serviceDeploymentArns must be less than or equal to 20.');
      const state = c.store.state(ctx);
      const failures: Failure[] = [];
      const serviceDeployments = arns.flatMap((arn) => {
        const record = state.serviceDeployments.get(arn);
        if (!record) {
          failures.push({ arn, reason: 'MISSING' });
          return [];
        }
        return [serviceDeploymentView(state, record)];
      });
      return { serviceDeployments, failures };
    },

    DescribeServiceRevisions(input, ctx) {
      const arns = fields(input, 'InvalidParameterException').optionalStringList('serviceRevisionArns');
      if (!arns || arns.length === 0) throw errors.invalid('serviceRevisionArns cannot be empty.');
      if (arns.length > 20) throw errors.invalid('The number of serviceRevisionArns must be less than or equal to 20.');
      const state = c.store.state(ctx);
      const failures: Failure[] = [];
      const serviceRevisions = arns.flatMap((arn) => {
        const revision = state.serviceRevisions.get(arn);
        if (!revision) {
          failures.push({ arn, reason: 'MISSING' });
          return [];
        }
        return [revision];
      });
      return { serviceRevisions, failures };
    },

    StopServiceDeployment(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const arn = f.string('serviceDeploymentArn');
      const stopType = f.optionalString('stopType') ?? 'ROLLBACK';
      if (stopType !== 'ROLLBACK' && stopType !== 'ABORT') throw errors.invalid('stopType must be ROLLBACK or ABORT.');
      const record = c.store.state(ctx).serviceDeployments.get(arn);
      if (!record) throw errors.serviceDeploymentNotFound();
      if (c.scheduler.stopDeployment(scopeOf(ctx), record, stopType) === 'not-stoppable') {
        throw errors.conflict(`The service deployment is ${record.status} and can no longer be stopped.`);
      }
      return { serviceDeploymentArn: record.serviceDeploymentArn };
    },

    ContinueServiceDeployment(input, ctx) {
      const f = fields(input, 'InvalidParameterException');
      const arn = f.string('serviceDeploymentArn');
      const hookId = f.string('hookId');
      const action = f.optionalString('action') ?? 'CONTINUE';
      if (action !== 'CONTINUE' && action !== 'ROLLBACK') throw errors.invalid('action must be CONTINUE or ROLLBACK.');
      const record = c.store.state(ctx).serviceDeployments.get(arn);
      if (!record) throw errors.serviceDeploymentNotFound();
      const result = c.scheduler.continueHook(record, hookId, action);
      if (result === 'unknown-hook') throw errors.invalid(`The lifecycle hook ${hookId} does not exist in service deployment ${arn}.`);
      if (result === 'not-waiting') throw errors.invalid(`The lifecycle hook ${hookId} is not awaiting action.`);
      return { serviceDeploymentArn: record.serviceDeploymentArn };
    },
  };
}

/** awsJson timestamps arrive as epoch seconds. */
function toDate(value: unknown): Date | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string' || value instanceof Date) return new Date(value);
  throw errors.invalid('createdAt filter values must be timestamps.');
}
