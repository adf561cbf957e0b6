import {
  BatchGetApplicationsCommand,
  BatchGetDeploymentGroupsCommand,
  ContinueDeploymentCommand,
  CreateDeploymentCommand,
  CreateDeploymentConfigCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  GetDeploymentTargetCommand,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  type CodeDeployClient,
  type DeploymentConfigInfo,
  type DeploymentInfo,
  type DeploymentStatus,
  type DeploymentWaitType,
  type ECSTarget,
  type TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import { createHash } from 'node:crypto';
import { deploysService } from '../engine/codedeploy/plan.js';
import type { CodeDeployGroup, CodeDeployPort, CreateCodeDeployDeployment } from '../engine/ports.js';

/** BatchGetApplications and BatchGetDeploymentGroups take at most this many names. */
const BATCH = 100;

/** Errors CodeDeploy answers for something that is simply not there. */
const NOT_FOUND = new Set([
  'ApplicationDoesNotExistException', 'DeploymentGroupDoesNotExistException', 'DeploymentConfigDoesNotExistException',
  'DeploymentNotStartedException', 'DeploymentTargetDoesNotExistException',
]);

const isNotFound = (err: unknown): boolean => err instanceof Error && NOT_FOUND.has(err.name);

/** Every item of a CodeDeploy list operation, page after page (CodeDeploy's lists page by nextToken). */
async function allPages(page: (nextToken: string | undefined) => Promise<{ items: string[] | undefined; nextToken: string | undefined }>): Promise<string[]> {
  const items: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await page(nextToken);
    items.push(...(out.items ?? []));
    nextToken = out.nextToken;
  } while (nextToken);
  return items;
}

/** The engine's CodeDeploy port over an SDK v3 CodeDeploy client. */
export class CodeDeployDeployments implements CodeDeployPort {
  constructor(private readonly client: CodeDeployClient) {}

  async readGroup(application: string, group: string, signal?: AbortSignal): Promise<CodeDeployGroup | undefined> {
    try {
      const out = await this.client.send(new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }), { abortSignal: signal });
      return out.deploymentGroupInfo ? { application, group: out.deploymentGroupInfo } : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async findGroupsOf(cluster: string, service: string, signal?: AbortSignal): Promise<CodeDeployGroup[]> {
    const applications = await allPages(async (nextToken) => {
      const page = await this.client.send(new ListApplicationsCommand({ nextToken }), { abortSignal: signal });
      return { items: page.applications, nextToken: page.nextToken };
    });
    const ecsApplications: string[] = [];
    for (let i = 0; i < applications.length; i += BATCH) {
      const out = await this.client.send(new BatchGetApplicationsCommand({ applicationNames: applications.slice(i, i + BATCH) }), { abortSignal: signal });
      for (const app of out.applicationsInfo ?? []) if (app.computePlatform === 'ECS' && app.applicationName) ecsApplications.push(app.applicationName);
    }
    const found: CodeDeployGroup[] = [];
    for (const application of ecsApplications) {
      const names = await allPages(async (nextToken) => {
        const page = await this.client.send(new ListDeploymentGroupsCommand({ applicationName: application, nextToken }), { abortSignal: signal });
        return { items: page.deploymentGroups, nextToken: page.nextToken };
      });
      for (let i = 0; i < names.length; i += BATCH) {
        const out = await this.client.send(new BatchGetDeploymentGroupsCommand({ applicationName: application, deploymentGroupNames: names.slice(i, i + BATCH) }), { abortSignal: signal });
        for (const group of out.deploymentGroupsInfo ?? []) {
          if (deploysService(group.ecsServices ?? [], cluster, service)) found.push({ application, group });
        }
      }
    }
    return found;
  }

  async readConfig(name: string, signal?: AbortSignal): Promise<DeploymentConfigInfo | undefined> {
    try {
      return (await this.client.send(new GetDeploymentConfigCommand({ deploymentConfigName: name }), { abortSignal: signal })).deploymentConfigInfo;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async createConfig(name: string, routing: TrafficRoutingConfig, signal?: AbortSignal): Promise<void> {
    await this.client.send(new CreateDeploymentConfigCommand({ deploymentConfigName: name, computePlatform: 'ECS', trafficRoutingConfig: routing }), { abortSignal: signal });
  }

  async createDeployment(request: CreateCodeDeployDeployment, signal?: AbortSignal): Promise<string> {
    const out = await this.client.send(new CreateDeploymentCommand({
      applicationName: request.application,
      deploymentGroupName: request.group,
      ...(request.config !== undefined ? { deploymentConfigName: request.config } : {}),
      description: request.description,
      ...(request.alarms ? { overrideAlarmConfiguration: request.alarms } : {}),
      revision: {
        revisionType: 'AppSpecContent',
        appSpecContent: { content: request.appSpec, sha256: createHash('sha256').update(request.appSpec).digest('hex') },
      },
    }), { abortSignal: signal });
    if (!out.deploymentId) throw new Error('CreateDeployment returned no deploymentId');
    return out.deploymentId;
  }

  async readDeployment(deploymentId: string, signal?: AbortSignal): Promise<DeploymentInfo> {
    const out = await this.client.send(new GetDeploymentCommand({ deploymentId }), { abortSignal: signal });
    if (!out.deploymentInfo) throw new Error(`GetDeployment returned nothing for ${deploymentId}`);
    return out.deploymentInfo;
  }

  async readTarget(deploymentId: string, targetId: string, signal?: AbortSignal): Promise<ECSTarget | undefined> {
    try {
      const out = await this.client.send(new GetDeploymentTargetCommand({ deploymentId, targetId }), { abortSignal: signal });
      return out.deploymentTarget?.ecsTarget;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async listDeployments(application: string, group: string, statuses: readonly DeploymentStatus[] | undefined, signal?: AbortSignal): Promise<string[]> {
    return allPages(async (nextToken) => {
      const page = await this.client.send(
        new ListDeploymentsCommand({ applicationName: application, deploymentGroupName: group, ...(statuses ? { includeOnlyStatuses: [...statuses] } : {}), nextToken }),
        { abortSignal: signal },
      );
      return { items: page.deployments, nextToken: page.nextToken };
    });
  }

  async continueDeployment(deploymentId: string, wait: DeploymentWaitType, signal?: AbortSignal): Promise<void> {
    await this.client.send(new ContinueDeploymentCommand({ deploymentId, deploymentWaitType: wait }), { abortSignal: signal });
  }

  async stopDeployment(deploymentId: string, rollback: boolean, signal?: AbortSignal): Promise<void> {
    await this.client.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: rollback }), { abortSignal: signal });
  }
}
