import { CloudWatchLogsClient, DescribeLogGroupsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTargetGroupsCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { LogTailPort, ReleaseResourcePort } from '../engine/ports.js';

/** Clients made when first needed, one per region (secrets and log groups may live in another region than the service). */
export interface ResourceClients {
  iam: () => IAMClient;
  secrets: (region: string | undefined) => SecretsManagerClient;
  ssm: (region: string | undefined) => SSMClient;
  logs: (region: string | undefined) => CloudWatchLogsClient;
  elbv2: ElasticLoadBalancingV2Client;
}

/** The resources verify reads, over SDK v3 clients. "Not found" is an answer; other AWS errors throw. */
export class ReleaseResources implements ReleaseResourcePort {
  constructor(private readonly clients: ResourceClients) {}

  async roleExists(roleArn: string, signal?: AbortSignal): Promise<boolean> {
    // arn:aws:iam::ACCOUNT:role/PATH/NAME: GetRole takes the name alone.
    const roleName = roleArn.split(':role/')[1]?.split('/').pop() ?? roleArn;
    return found(() => this.clients.iam().send(new GetRoleCommand({ RoleName: roleName }), { abortSignal: signal }), 'NoSuchEntityException', 'NoSuchEntity');
  }

  async secretExists(secretArn: string, signal?: AbortSignal): Promise<boolean> {
    // valueFrom may add :json-key:version-stage:version-id after the secret's own ARN (7 parts).
    const parts = secretArn.split(':');
    const secretId = parts.slice(0, 7).join(':');
    return found(() => this.clients.secrets(parts[3]).send(new DescribeSecretCommand({ SecretId: secretId }), { abortSignal: signal }), 'ResourceNotFoundException');
  }

  async missingParameters(names: readonly string[], signal?: AbortSignal): Promise<string[]> {
    const missing: string[] = [];
    for (const name of names) {
      const region = name.startsWith('arn:') ? name.split(':')[3] : undefined;
      const out = await this.clients.ssm(region).send(new GetParametersCommand({ Names: [name] }), { abortSignal: signal });
      missing.push(...(out.InvalidParameters ?? []));
    }
    return missing;
  }

  async logGroupExists(name: string, region: string | undefined, signal?: AbortSignal): Promise<boolean> {
    const out = await this.clients.logs(region).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 }), { abortSignal: signal });
    return (out.logGroups ?? []).some((g) => g.logGroupName === name);
  }

  async targetGroupPorts(arns: readonly string[], signal?: AbortSignal): Promise<Map<string, { port: number | undefined }>> {
    const groups = new Map<string, { port: number | undefined }>();
    // One at a time: DescribeTargetGroups fails the whole call when one ARN is unknown.
    for (const arn of arns) {
      try {
        const out = await this.clients.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }), { abortSignal: signal });
        for (const group of out.TargetGroups ?? []) if (group.TargetGroupArn) groups.set(group.TargetGroupArn, { port: group.Port });
      } catch (err) {
        if (!isNamed(err, 'TargetGroupNotFoundException', 'TargetGroupNotFound')) throw err;
      }
    }
    return groups;
  }
}

async function found(call: () => Promise<unknown>, ...notFound: string[]): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (err) {
    if (isNamed(err, ...notFound)) return false;
    throw err;
  }
}

function isNamed(err: unknown, ...names: string[]): boolean {
  return err instanceof Error && names.includes(err.name);
}

/** The last lines of a log stream, over CloudWatch Logs GetLogEvents. */
export class LogTails implements LogTailPort {
  constructor(private readonly logs: (region: string | undefined) => CloudWatchLogsClient) {}

  async tail(group: string, stream: string, region: string | undefined, lines: number, signal?: AbortSignal): Promise<string[] | undefined> {
    try {
      const out = await this.logs(region).send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: lines, startFromHead: false }), { abortSignal: signal });
      return (out.events ?? []).map((e) => e.message ?? '');
    } catch (err) {
      if (isNamed(err, 'ResourceNotFoundException')) return undefined;
      throw err;
    }
  }
}
