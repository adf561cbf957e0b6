import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Scope } from './store.js';

/** ECS ARNs in the long format, and the ids inside them. */

const prefix = (s: Scope): string => `arn:aws:ecs:${s.region}:${s.account}`;

export const clusterArn = (s: Scope, cluster: string): string => `${prefix(s)}:cluster/${cluster}`;
export const serviceArn = (s: Scope, cluster: string, service: string): string => `${prefix(s)}:service/${cluster}/${service}`;
export const taskArn = (s: Scope, cluster: string, taskId: string): string => `${prefix(s)}:task/${cluster}/${taskId}`;
export const containerArn = (s: Scope, cluster: string, taskId: string): string =>
  `${prefix(s)}:container/${cluster}/${taskId}/${randomUuid()}`;
export const taskDefinitionArn = (s: Scope, family: string, revision: number): string =>
  `${prefix(s)}:task-definition/${family}:${revision}`;
export const serviceDeploymentArn = (s: Scope, cluster: string, service: string, id: string): string =>
  `${prefix(s)}:service-deployment/${cluster}/${service}/${id}`;
export const taskSetArn = (s: Scope, cluster: string, service: string, id: string): string =>
  `${prefix(s)}:task-set/${cluster}/${service}/${id}`;
export const serviceRevisionArn = (s: Scope, cluster: string, service: string, id: string): string =>
  `${prefix(s)}:service-revision/${cluster}/${service}/${id}`;

/** 32 hex digits, as ECS task ids are. */
export const newTaskId = (): string => randomBytes(16).toString('hex');

/** "ecs-svc/" and 19 digits, as ECS deployment ids are. */
export const newDeploymentId = (): string => `ecs-svc/${digits(19)}`;

/** Service deployment and revision ids: 19 digits. */
export const newNumericId = (): string => digits(19);

export const randomUuid = (): string => randomUUID();

function digits(n: number): string {
  let out = String(randomInt(1, 10));
  while (out.length < n) out += String(randomInt(0, 10));
  return out;
}

/** A cluster given by name or ARN; undefined means the default cluster. */
export function clusterNameOf(ref: string | undefined): string {
  if (!ref) return 'default';
  const match = /^arn:aws[\w-]*:ecs:[^:]*:\d*:cluster\/(.+)$/.exec(ref);
  return match?.[1] ?? ref;
}

/** A service given by name or ARN (long "service/CLUSTER/NAME" or short "service/NAME" form). */
export function serviceRefOf(ref: string): { clusterName: string | undefined; serviceName: string } {
  const match = /^arn:aws[\w-]*:ecs:[^:]*:\d*:service\/(?:([^/]+)\/)?([^/]+)$/.exec(ref);
  if (!match) return { clusterName: undefined, serviceName: ref };
  return { clusterName: match[1], serviceName: match[2] ?? ref };
}

/** A task given by id or ARN. */
export function taskIdOf(ref: string): string {
  const match = /:task\/(?:[^/]+\/)?([^/]+)$/.exec(ref);
  return match?.[1] ?? ref;
}

/** A task set given by id ("ecs-svc/…") or ARN ("…:task-set/CLUSTER/SERVICE/ecs-svc/…"). */
export function taskSetIdOf(ref: string): string {
  const match = /:task-set\/[^/]+\/[^/]+\/(.+)$/.exec(ref);
  return match?.[1] ?? ref;
}
