import type { ApplicationInfo, DeploymentConfigInfo, DeploymentGroupInfo, DeploymentInfo, DeploymentStatus, ECSTaskSet, Tag } from '@aws-sdk/client-codedeploy';
import type { HookEvent } from './appspec.js';
import type { MonitoredAlarms } from './deployment-alarms.js';
import type { DeploymentProgress, HookProgress, TrafficStep } from './deployment-decisions.js';
import type { LifecycleEventRecord } from './lifecycle-events.js';

/** One application: what GetApplication shows, and its tags. The emulator holds ECS applications only. */
export interface StoredApplication {
  info: ApplicationInfo & { applicationId: string; applicationName: string; createTime: Date; computePlatform: 'ECS' };
  tags: Tag[];
}

/** One deployment group, as GetDeploymentGroup shows it. */
export type StoredDeploymentGroup = DeploymentGroupInfo & {
  applicationName: string;
  deploymentGroupId: string;
  deploymentGroupName: string;
  deploymentConfigName: string;
  serviceRoleArn: string;
};

/** A deployment configuration, predefined or created, as GetDeploymentConfig shows it. */
export type StoredDeploymentConfig = DeploymentConfigInfo & { deploymentConfigName: string; deploymentConfigId: string; computePlatform: 'ECS' };

/** One account's CodeDeploy state in one region. */
export interface CodeDeployScope {
  applications: Map<string, StoredApplication>;
  /** Deployment groups by application name, then group name. */
  groups: Map<string, Map<string, StoredDeploymentGroup>>;
  /** Created deployment configurations only; the predefined ones live in deployment-configs.ts. */
  configs: Map<string, StoredDeploymentConfig>;
  /** Deployments by id, oldest first. */
  deployments: Map<string, StoredDeployment>;
}

/** What a deployment acts on, fixed when it is created. */
export interface DeploymentPlan {
  account: string;
  region: string;
  cluster: string;
  service: string;
  /** The deployment target's targetArn. */
  serviceArn: string;
  taskDefinition: string;
  containerName: string;
  containerPort: number;
  originalTaskSetId: string;
  originalTargetGroupArn: string;
  replacementTargetGroupArn: string;
  productionListeners: string[];
  testListeners: string[];
  steps: TrafficStep[];
  terminationWaitMs: number;
  /** deploymentReadyOption STOP_DEPLOYMENT's wait; undefined for CONTINUE_DEPLOYMENT. */
  readyWaitMs: number | undefined;
  rollbackOnFailure: boolean;
  /** autoRollbackConfiguration with DEPLOYMENT_STOP_ON_REQUEST: what StopDeployment does without autoRollbackEnabled. */
  rollbackOnStop: boolean;
  /** autoRollbackConfiguration with DEPLOYMENT_STOP_ON_ALARM. */
  rollbackOnAlarm: boolean;
  alarms: MonitoredAlarms;
  /** The AppSpec's Hooks: Lambda function name or ARN per lifecycle event. */
  hooks: Array<{ event: HookEvent; functionName: string }>;
}

/**
 * One ECS blue/green deployment: what GetDeployment shows, and where it is.
 * A rollback deployment (creator codeDeployRollback) is one too: it has the
 * plan of the deployment it rolled back, and ended when it was created.
 */
export interface StoredDeployment {
  info: DeploymentInfo & { deploymentId: string; applicationName: string; deploymentGroupName: string; status: DeploymentStatus; createTime: Date };
  plan: DeploymentPlan;
  /** Absent once the deployment has ended. */
  progress: DeploymentProgress | undefined;
  replacementTaskSetId: string | undefined;
  /** The deployment target's lifecycle events, recorded as the runner moves. */
  lifecycle: LifecycleEventRecord[];
  /** Percent of production traffic the deployment has put on the replacement task set. */
  production: number;
  /** The deployment target's lastUpdatedAt, virtual epoch milliseconds. */
  targetUpdatedAt: number;
  /** The task sets as they were when the deployment ended, which its target keeps showing once they are gone. */
  taskSetsAtEnd: ECSTaskSet[] | undefined;
  hooks: {
    done: HookEvent[];
    /** The execution ids of hooks that have reported (or failed). */
    finished: string[];
    /** executionId: the LifecycleEventHookExecutionId the function reports with. */
    running: (NonNullable<HookProgress['running']> & { executionId: string }) | undefined;
  };
}
