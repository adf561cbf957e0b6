import type { ApplicationInfo, DeploymentConfigInfo, DeploymentGroupInfo, DeploymentInfo, DeploymentStatus, Tag } from '@aws-sdk/client-codedeploy';
import type { HookEvent } from './appspec.js';
import type { DeploymentProgress, HookProgress, TrafficStep } from './deployment-decisions.js';

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
  rollbackOnFailure: boolean;
  /** autoRollbackConfiguration with DEPLOYMENT_STOP_ON_REQUEST: what StopDeployment does without autoRollbackEnabled. */
  rollbackOnStop: boolean;
  /** The AppSpec's Hooks: Lambda function name or ARN per lifecycle event. */
  hooks: Array<{ event: HookEvent; functionName: string }>;
}

/** One ECS blue/green deployment: what GetDeployment shows, and where it is. */
export interface StoredDeployment {
  info: DeploymentInfo & { deploymentId: string; applicationName: string; deploymentGroupName: string; status: DeploymentStatus; createTime: Date };
  plan: DeploymentPlan;
  /** Absent once the deployment has ended. */
  progress: DeploymentProgress | undefined;
  replacementTaskSetId: string | undefined;
  hooks: {
    done: HookEvent[];
    /** The execution ids of hooks that have reported (or failed). */
    finished: string[];
    /** executionId: the LifecycleEventHookExecutionId the function reports with. */
    running: (NonNullable<HookProgress['running']> & { executionId: string }) | undefined;
  };
}
