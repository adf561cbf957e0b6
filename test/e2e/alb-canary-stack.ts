/** The two-service canary stack on a fresh emulator, and ways to look at it, for the CLI tests of executor alb. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand, ListTagsForResourceCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createAlbCanaryStack, type AlbCanaryStack } from '../../examples/lib/alb-canary-stack.js';
import { albCanaryStrategy } from '../../examples/lib/alb-canary-settings.js';
import { pushSampleVersions, runCli, waitForSteadyState, type CliRun } from '../../examples/lib/sample-stack.js';
import { uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { pollUntil } from '../support/poll.js';

type After = { after: (fn: () => Promise<void>) => void };

export interface CanaryTestStack extends AlbCanaryStack {
  endpoint: string;
  ecs: ECSClient;
  elbv2: ElasticLoadBalancingV2Client;
  images: Map<string, string>;
  /** A folder for this test's ecs-rollout.yaml and scripts; removed when the test ends. */
  dir: string;
}

/** v1 runs on two stable tasks and serves the listener; v2 is good, bad answers 500 to every request (FAIL_RATE=1). */
export async function canaryStack(t: After): Promise<CanaryTestStack> {
  const { emulator, clients } = await startTestEmulator(t, { speed: 20 });
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rollout-alb-'));
  t.after(async () => rmSync(dir, { recursive: true, force: true }));
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }, { tag: 'bad', env: { FAIL_RATE: '1' } }]);
  const created = await createAlbCanaryStack(clients.ecs, clients.elbv2, { name: uniqueName('alb'), image: images.get('v1') ?? '', desiredCount: 2 });
  const stack = { ...created, endpoint: emulator.url, ecs: clients.ecs, elbv2: clients.elbv2, images, dir };
  await waitForSteadyState(clients.ecs, stack, 30_000);
  await pollUntil('the listener to serve v1', 30_000, async () => ((await versionAt(stack.url)) === 'v1' ? true : undefined));
  return stack;
}

/** ecs-rollout.yaml for a canary of this stack with these steps (YAML list items) and any extra top-level YAML. */
export function canaryConfig(stack: AlbCanaryStack, steps: string[], extra = ''): string {
  return [`cluster: ${stack.cluster}`, `service: ${stack.service}`, ...albCanaryStrategy(stack, steps), extra].join('\n');
}

/** Runs the CLI in this process against the stack, with `yaml` as ecs-rollout.yaml. */
export async function cli(stack: CanaryTestStack, argv: string[], yaml: string, echo?: NodeJS.WritableStream): Promise<CliRun> {
  const config = writeConfig(stack, yaml);
  return runCli([...argv, '--config', config, '--endpoint-url', stack.endpoint], { CI: 'true', USER: 'tester' }, echo);
}

export function writeConfig(stack: CanaryTestStack, yaml: string): string {
  const config = join(stack.dir, `ecs-rollout-${uniqueName('cfg')}.yaml`);
  writeFileSync(config, yaml);
  return config;
}

export const deployArgs = (stack: CanaryTestStack, tag: string): string[] => ['deploy', '--image', stack.images.get(tag) ?? '', '--poll-interval', '100ms', '--timeout', '60s'];

export const show = (run: CliRun): string => `exit ${run.code}\n${run.stdout}${run.stderr}`;

/** The rule's weights as DescribeRules shows them. */
export async function ruleWeights(stack: CanaryTestStack): Promise<{ stable: number; canary: number }> {
  const out = await stack.elbv2.send(new DescribeRulesCommand({ RuleArns: [stack.ruleArn] }));
  const groups = out.Rules?.[0]?.Actions?.find((a) => a.Type === 'forward')?.ForwardConfig?.TargetGroups ?? [];
  const weight = (arn: string): number => groups.find((g) => g.TargetGroupArn === arn)?.Weight ?? -1;
  return { stable: weight(stack.stableTargetGroupArn), canary: weight(stack.canaryTargetGroupArn) };
}

export async function describeService(stack: CanaryTestStack, name: string) {
  const out = await stack.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [name] }));
  const service = out.services?.[0];
  if (!service) throw new Error(`service ${name} not found`);
  return service;
}

export async function tagsOf(stack: CanaryTestStack, name: string): Promise<Map<string, string>> {
  const service = await describeService(stack, name);
  const out = await stack.ecs.send(new ListTagsForResourceCommand({ resourceArn: service.serviceArn }));
  return new Map((out.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']));
}

export async function versionAt(url: string): Promise<string> {
  const res = await fetch(url);
  const body = (await res.json()) as { version?: string };
  return res.status === 200 ? (body.version ?? 'unknown') : `HTTP ${res.status}`;
}

/** The versions that answer `n` requests in a row. */
export async function versionsAt(url: string, n = 20): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < n; i += 1) seen.add(await versionAt(url));
  return seen;
}
