import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import { parse } from 'yaml';
import { errors } from './catalogue.js';

/**
 * The ECS AppSpec ("AppSpec file structure for Amazon ECS deployments" in the
 * CodeDeploy user guide), JSON or YAML, given inline as an AppSpecContent or
 * String revision:
 *
 *   version: 0.0
 *   Resources:
 *     - TargetService:
 *         Type: AWS::ECS::Service
 *         Properties:
 *           TaskDefinition: <task definition ARN>
 *           LoadBalancerInfo: { ContainerName: web, ContainerPort: 8080 }
 *   Hooks:
 *     - BeforeInstall: <Lambda function name or ARN>
 */
export interface EcsAppSpec {
  taskDefinition: string;
  containerName: string;
  containerPort: number;
  /** Lifecycle event name -> Lambda function name or ARN, in the order written. */
  hooks: Array<{ event: HookEvent; functionName: string }>;
}

export const HOOK_EVENTS = ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** Properties the emulator does not apply to the replacement task set; refused rather than ignored. */
const NOT_EMULATED_PROPERTIES = ['PlatformVersion', 'NetworkConfiguration', 'CapacityProviderStrategy'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The AppSpec text of an ECS revision: S3 and GitHub revisions are not for the ECS compute platform in the emulator. */
export function appSpecText(revision: RevisionLocation | undefined): string {
  if (!revision) throw errors.revisionRequired();
  if (revision.revisionType === 'AppSpecContent') {
    const content = revision.appSpecContent?.content;
    if (typeof content !== 'string' || content === '') throw errors.invalidRevision('appSpecContent.content must hold the AppSpec.');
    return content;
  }
  if (revision.revisionType === 'String') {
    const content = revision.string?.content;
    if (typeof content !== 'string' || content === '') throw errors.invalidRevision('string.content must hold the AppSpec.');
    return content;
  }
  throw errors.invalidRevision(
    `The revision type ${String(revision.revisionType)} is not emulated by ecs-rollout for ECS deployments; give the AppSpec as AppSpecContent or String.`,
  );
}

export function parseAppSpec(text: string): EcsAppSpec {
  let doc: unknown;
  try {
    // YAML is a superset of JSON: one parser reads both.
    doc = parse(text);
  } catch (err) {
    throw errors.invalidRevision(`The AppSpec file is not valid JSON or YAML: ${(err as Error).message}`);
  }
  if (!isObject(doc)) throw errors.invalidRevision('The AppSpec file must be a JSON or YAML object.');
  const resources = doc.Resources;
  if (!Array.isArray(resources) || resources.length !== 1 || !isObject(resources[0])) {
    throw errors.invalidRevision('The AppSpec file must name exactly one resource, the ECS service, under Resources.');
  }
  const target = Object.values(resources[0])[0];
  if (!isObject(target) || target.Type !== 'AWS::ECS::Service' || !isObject(target.Properties)) {
    throw errors.invalidRevision('The AppSpec resource must have Type AWS::ECS::Service and Properties.');
  }
  const props = target.Properties;
  const taskDefinition = props.TaskDefinition;
  if (typeof taskDefinition !== 'string' || taskDefinition === '') throw errors.invalidRevision('The AppSpec resource must name a TaskDefinition.');
  const lb = props.LoadBalancerInfo;
  if (!isObject(lb) || typeof lb.ContainerName !== 'string' || typeof lb.ContainerPort !== 'number') {
    throw errors.invalidRevision('The AppSpec resource must give LoadBalancerInfo with ContainerName and ContainerPort.');
  }
  const unsupported = NOT_EMULATED_PROPERTIES.find((p) => props[p] !== undefined);
  if (unsupported) throw errors.invalidRevision(`The AppSpec property ${unsupported} is not emulated by ecs-rollout; see docs/emulator-fidelity.md.`);
  return { taskDefinition, containerName: lb.ContainerName, containerPort: lb.ContainerPort, hooks: hooksOf(doc.Hooks) };
}

function hooksOf(value: unknown): EcsAppSpec['hooks'] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw errors.invalidRevision('Hooks must be a list of {lifecycle event: Lambda function} entries.');
  return value.flatMap((entry: unknown) => {
    if (!isObject(entry)) throw errors.invalidRevision('Hooks must be a list of {lifecycle event: Lambda function} entries.');
    return Object.entries(entry).map(([event, fn]) => {
      if (!(HOOK_EVENTS as readonly string[]).includes(event)) {
        throw errors.invalidRevision(`${event} is not a lifecycle event an ECS deployment can hook; use one of ${HOOK_EVENTS.join(', ')}.`);
      }
      if (typeof fn !== 'string' || fn === '') throw errors.invalidRevision(`The ${event} hook must name a Lambda function.`);
      return { event: event as HookEvent, functionName: fn };
    });
  });
}
