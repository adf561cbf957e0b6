import type { ApplicationInfo, DeploymentConfigInfo, DeploymentGroupInfo, Tag } from '@aws-sdk/client-codedeploy';

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
}
