import type {
  ContinueDeploymentInput, PutLifecycleEventHookExecutionStatusInput, PutLifecycleEventHookExecutionStatusOutput,
  StopDeploymentInput, StopDeploymentOutput,
} from '@aws-sdk/client-codedeploy';
import type { Operation } from '../../service.js';
import { errors } from './catalogue.js';
import { continueOutcome } from './deployment-decisions.js';
import { existingDeployment, scopeOf } from './inputs.js';
import type { StoredDeployment } from './model.js';
import type { CodeDeployStore } from './store.js';

/** The operations that steer a running deployment: a hook's report, continuing a wait, stopping. */
export type ControlOperations = {
  PutLifecycleEventHookExecutionStatus: Operation<PutLifecycleEventHookExecutionStatusInput, PutLifecycleEventHookExecutionStatusOutput>;
  /** The SDK declares no output shape: the answer is empty. */
  ContinueDeployment: Operation<ContinueDeploymentInput, Record<string, never>>;
  StopDeployment: Operation<StopDeploymentInput, StopDeploymentOutput>;
};

/** What these operations ask of the deployment runner. */
export interface ControlDeps {
  /** Lets the runner act on a hook's report without waiting for its next tick. */
  wake(): void;
  /** Ends a running deployment Stopped, rolled back or not. */
  stop(deployment: StoredDeployment, rollback: boolean): void;
  /** Ends the ready wait: production rerouting begins. */
  continueFromReady(deployment: StoredDeployment): void;
  /** Ends the termination wait: the original task set goes, and the deployment succeeds. */
  endTerminationWait(deployment: StoredDeployment): void;
}

const WAIT_TYPES = ['READY_WAIT', 'TERMINATION_WAIT'] as const;

export function controlOperations(store: CodeDeployStore, deps: ControlDeps): ControlOperations {
  return {
    PutLifecycleEventHookExecutionStatus(input, ctx) {
      const deployment = existingDeployment(scopeOf(store, ctx), input.deploymentId);
      const id = input.lifecycleEventHookExecutionId;
      const running = deployment.hooks.running;
      if (typeof id !== 'string' || id === '') throw errors.invalidHookExecutionId(String(id ?? ''));
      if (input.status !== 'Succeeded' && input.status !== 'Failed') throw errors.invalidHookStatus(String(input.status));
      if (deployment.hooks.finished.includes(id)) throw errors.hookCompleted(id);
      if (running?.executionId !== id) throw errors.invalidHookExecutionId(id);
      if (running.status !== 'InProgress') throw errors.hookCompleted(id);
      deployment.hooks.running = { ...running, status: input.status, ...(input.status === 'Failed' ? { why: 'the hook reported Failed' } : {}) };
      deps.wake();
      return { lifecycleEventHookExecutionId: id };
    },

    /**
     * deploymentWaitType defaults to READY_WAIT, the wait ContinueDeployment
     * was made for. Naming the wait the deployment is not in gets
     * InvalidDeploymentWaitTypeException; a deployment in neither wait,
     * DeploymentIsNotInReadyStateException.
     */
    ContinueDeployment(input, ctx) {
      const deployment = existingDeployment(scopeOf(store, ctx), input.deploymentId);
      const waitType = input.deploymentWaitType ?? 'READY_WAIT';
      if (!(WAIT_TYPES as readonly string[]).includes(waitType)) throw errors.invalidWaitType(String(waitType));
      const outcome = continueOutcome(deployment.progress, waitType);
      const id = deployment.info.deploymentId;
      switch (outcome.kind) {
        case 'end-ready-wait':
          deps.continueFromReady(deployment);
          return {};
        case 'end-termination-wait':
          deps.endTerminationWait(deployment);
          return {};
        case 'refuse':
          if (outcome.why === 'completed') throw errors.deploymentCompleted(id);
          if (outcome.why === 'other-wait') {
            throw errors.otherWaitType(id, waitType, waitType === 'READY_WAIT' ? 'termination wait' : 'ready wait');
          }
          throw errors.deploymentNotReady(id, deployment.info.status);
      }
    },

    StopDeployment(input, ctx) {
      const deployment = existingDeployment(scopeOf(store, ctx), input.deploymentId);
      if (deployment.progress === undefined) throw errors.deploymentCompleted(deployment.info.deploymentId);
      const rollback = input.autoRollbackEnabled ?? deployment.plan.rollbackOnStop;
      deps.stop(deployment, rollback);
      return { status: 'Succeeded', statusMessage: `Deployment ${deployment.info.deploymentId} stopped${rollback ? ' and rolled back' : ''}.` };
    },
  };
}
