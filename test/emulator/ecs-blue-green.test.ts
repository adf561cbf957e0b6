import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateServiceCommand, DescribeServicesCommand, UpdateServiceCommand, type DeploymentConfiguration } from '@aws-sdk/client-ecs';
import { blueGreenStack, deploy, describe, follow, ORDER, productionWeights, versionAt } from './ecs-blue-green-stack.js';
import { eventually } from './ecs-fakes.js';

test('ECS BLUE_GREEN: stages in order, production moves only after the test route, blue kept through the bake, roles swap', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 1 });
  // The first deployment put v1 in the alternate group: production now serves "green" as blue.
  assert.equal((await productionWeights(stack)).get(stack.greenTg), 100);
  assert.equal(await versionAt(stack.productionUrl), 'v1');

  const arn = await deploy(stack);
  const seen = await follow(stack, arn, (d) => d.status === 'SUCCESSFUL');
  const stages = seen.map((s) => s.stage);
  const indexes = stages.map((s) => ORDER.indexOf(s));
  assert.ok(indexes.every((i, n) => i >= 0 && (n === 0 || i >= (indexes[n - 1] ?? 0))), `stages in AWS order: ${stages.join(' > ')}`);
  for (const stage of ['SCALE_UP', 'BAKE_TIME', 'CLEAN_UP']) assert.ok(stages.includes(stage), `${stage} observed: ${stages.join(' > ')}`);
  const firstProduction = seen.findIndex((s) => s.production > 0);
  const firstTest = seen.findIndex((s) => s.test === 100);
  assert.ok(firstTest >= 0 && firstProduction > firstTest, `test traffic moved before production: ${JSON.stringify(seen)}`);
  assert.ok(seen.filter((s) => s.production > 0).every((s) => ORDER.indexOf(s.stage) >= ORDER.indexOf('PRODUCTION_TRAFFIC_SHIFT')));

  // Roles swapped: v2 went to the group that was idle, and production serves it alone.
  const weights = await productionWeights(stack);
  assert.equal(weights.get(stack.blueTg), 100);
  assert.equal(weights.get(stack.greenTg), 0);
  assert.equal(await versionAt(stack.productionUrl), 'v2');
  const svc = (await stack.ecs.send(new DescribeServicesCommand({ cluster: stack.cluster, services: [stack.service] }))).services?.[0];
  assert.equal(svc?.deployments?.length, 1);
  assert.equal(svc?.runningCount, 2);
  assert.ok(svc?.events?.some((e) => e.message === `(service ${stack.service}) (deployment ${svc.deployments?.[0]?.id}) deployment completed.`));
});

test('ECS CANARY 10%: the production rule shows 90/10 at the canary step, then 0/100', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 2 }, bakeTimeInMinutes: 0 });
  const arn = await deploy(stack);
  await eventually('the canary step', async () => {
    const d = await describe(stack, arn);
    return d.lifecycleStage === 'PRODUCTION_TRAFFIC_SHIFT' && d.targetServiceRevision?.requestedProductionTrafficWeight === 10 || undefined;
  }, 30_000);
  const atCanary = await productionWeights(stack);
  assert.equal(atCanary.get(stack.greenTg), 90, 'blue (the group v1 runs in) keeps 90');
  assert.equal(atCanary.get(stack.blueTg), 10, 'the new revision gets 10');
  const during = await describe(stack, arn);
  assert.equal(during.sourceServiceRevisions?.[0]?.requestedProductionTrafficWeight, 90);
  await follow(stack, arn, (d) => d.status === 'SUCCESSFUL');
  const after = await productionWeights(stack);
  assert.equal(after.get(stack.blueTg), 100);
  assert.equal(after.get(stack.greenTg), 0);
});

test('ECS blue/green validation: PAUSE at PRODUCTION_TRAFFIC_SHIFT, Lambda hooks naming no function, and missing advancedConfiguration are refused', async (t) => {
  const stack = await blueGreenStack(t, { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 0 });
  const update = (deploymentConfiguration: DeploymentConfiguration) =>
    stack.ecs.send(new UpdateServiceCommand({ cluster: stack.cluster, service: stack.service, deploymentConfiguration }));
  await assert.rejects(update({ strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRODUCTION_TRAFFIC_SHIFT'] }] }), /PAUSE lifecycle hooks are not supported at the PRODUCTION_TRAFFIC_SHIFT stage/);
  await assert.rejects(update({ strategy: 'BLUE_GREEN', lifecycleHooks: [{ targetType: 'AWS_LAMBDA', lifecycleStages: ['POST_SCALE_UP'] }] }), /hookTargetArn is required/);
  await assert.rejects(
    update({ strategy: 'BLUE_GREEN', lifecycleHooks: [{ hookTargetArn: 'arn:aws:lambda:us-east-1:000000000000:function:smoke', lifecycleStages: ['POST_SCALE_UP'] }] }),
    (err: Error) => err.name === 'InvalidParameterException' && err.message === 'The Lambda function arn:aws:lambda:us-east-1:000000000000:function:smoke does not exist.',
  );
  await assert.rejects(update({ strategy: 'LINEAR', linearConfiguration: { stepPercent: 2 } }), /stepPercent must be a multiple of 0.1 from 3 to 100/);
  await assert.rejects(
    stack.ecs.send(new CreateServiceCommand({
      cluster: stack.cluster, serviceName: `${stack.service}-2`, taskDefinition: stack.cluster, desiredCount: 1,
      deploymentConfiguration: { strategy: 'CANARY' },
      loadBalancers: [{ targetGroupArn: stack.blueTg, containerName: 'app', containerPort: 8080 }],
    })),
    /advancedConfiguration is required/,
  );
});
