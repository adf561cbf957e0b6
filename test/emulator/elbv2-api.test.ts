import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AddTagsCommand, CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DeleteListenerCommand,
  DeleteLoadBalancerCommand, DeleteTargetGroupCommand, DescribeListenersCommand, DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand, DescribeTagsCommand, DescribeTargetGroupAttributesCommand, DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand, DuplicateListenerException, DuplicateTargetGroupNameException, InvalidConfigurationRequestException,
  ListenerNotFoundException, LoadBalancerNotFoundException, ModifyListenerCommand, ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand, RegisterTargetsCommand, RemoveTagsCommand, ResourceInUseException, TargetGroupNotFoundException,
  TargetGroupAssociationLimitException,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { uniqueName } from '../support/clients.js';
import { freePort, startElbv2 } from './elbv2-harness.js';
import { createServer } from 'node:net';

test('ELBv2 API: load balancer round trip with AWS shapes', async (t) => {
  const { client } = await startElbv2(t);
  const name = uniqueName('lb').slice(0, 32);
  const created = await client.send(new CreateLoadBalancerCommand({
    Name: name, Subnets: ['subnet-a', 'subnet-b'], SecurityGroups: ['sg-1'], Scheme: 'internal', Tags: [{ Key: 'team', Value: 'web' }],
  }));
  const lb = created.LoadBalancers?.[0];
  assert.match(lb?.LoadBalancerArn ?? '', new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/${name}/[0-9a-f]{16}$`));
  assert.equal(lb?.DNSName, '127.0.0.1');
  assert.equal(lb?.State?.Code, 'active');
  assert.equal(lb?.Type, 'application');
  assert.equal(lb?.Scheme, 'internal');
  assert.ok(lb?.CreatedTime instanceof Date);
  assert.deepEqual(lb?.AvailabilityZones?.map((z) => z.SubnetId), ['subnet-a', 'subnet-b']);
  assert.deepEqual(lb?.SecurityGroups, ['sg-1']);

  const again = await client.send(new CreateLoadBalancerCommand({ Name: name, Subnets: ['subnet-a', 'subnet-b'], SecurityGroups: ['sg-1'], Scheme: 'internal' }));
  assert.equal(again.LoadBalancers?.[0]?.LoadBalancerArn, lb?.LoadBalancerArn, 'same settings: the same load balancer');

  const byName = await client.send(new DescribeLoadBalancersCommand({ Names: [name] }));
  assert.equal(byName.LoadBalancers?.[0]?.LoadBalancerArn, lb?.LoadBalancerArn);
  await assert.rejects(client.send(new DescribeLoadBalancersCommand({ Names: ['nope'] })), (err: Error) => {
    assert.ok(err instanceof LoadBalancerNotFoundException);
    assert.equal(err.message, 'One or more load balancers not found');
    return true;
  });

  const attrs = await client.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
  assert.equal(attrs.Attributes?.find((a) => a.Key === 'idle_timeout.timeout_seconds')?.Value, '60');

  const tags = await client.send(new DescribeTagsCommand({ ResourceArns: [lb?.LoadBalancerArn ?? ''] }));
  assert.deepEqual(tags.TagDescriptions?.[0]?.Tags, [{ Key: 'team', Value: 'web' }]);
  await client.send(new AddTagsCommand({ ResourceArns: [lb?.LoadBalancerArn ?? ''], Tags: [{ Key: 'env', Value: 'test' }] }));
  await client.send(new RemoveTagsCommand({ ResourceArns: [lb?.LoadBalancerArn ?? ''], TagKeys: ['team'] }));
  const after = await client.send(new DescribeTagsCommand({ ResourceArns: [lb?.LoadBalancerArn ?? ''] }));
  assert.deepEqual(after.TagDescriptions?.[0]?.Tags, [{ Key: 'env', Value: 'test' }]);

  await client.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
  await client.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
  const none = await client.send(new DescribeLoadBalancersCommand({}));
  assert.equal(none.LoadBalancers?.length, 0);
});

test('ELBv2 API: target groups with defaults, duplicates, attributes and validation', async (t) => {
  const { client } = await startElbv2(t);
  const name = uniqueName('tg');
  const created = await client.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 8080, VpcId: 'vpc-1', TargetType: 'ip' }));
  const tg = created.TargetGroups?.[0];
  assert.match(tg?.TargetGroupArn ?? '', new RegExp(`:targetgroup/${name}/[0-9a-f]{16}$`));
  assert.equal(tg?.HealthCheckPath, '/');
  assert.equal(tg?.HealthCheckPort, 'traffic-port');
  assert.equal(tg?.HealthCheckIntervalSeconds, 30);
  assert.equal(tg?.HealthCheckTimeoutSeconds, 5);
  assert.equal(tg?.HealthyThresholdCount, 5);
  assert.equal(tg?.UnhealthyThresholdCount, 2);
  assert.equal(tg?.HealthCheckEnabled, true);
  assert.deepEqual(tg?.Matcher, { HttpCode: '200' });
  assert.deepEqual(tg?.LoadBalancerArns, []);
  assert.equal(tg?.TargetType, 'ip');

  const same = await client.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 8080, VpcId: 'vpc-1', TargetType: 'ip' }));
  assert.equal(same.TargetGroups?.[0]?.TargetGroupArn, tg?.TargetGroupArn);
  await assert.rejects(client.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 9090, VpcId: 'vpc-1', TargetType: 'ip' })), (err: Error) => {
    assert.ok(err instanceof DuplicateTargetGroupNameException);
    assert.equal(err.message, `A target group with the same name '${name}' exists, but with different settings`);
    return true;
  });

  await assert.rejects(
    client.send(new CreateTargetGroupCommand({ Name: uniqueName('tg'), Protocol: 'HTTP', Port: 80, VpcId: 'vpc-1', HealthCheckIntervalSeconds: 600 })),
    (err: Error) => {
      assert.equal(err.name, 'ValidationError');
      assert.match(err.message, /at 'healthCheckIntervalSeconds' failed to satisfy constraint: Member must have value less than or equal to 300/);
      return true;
    },
  );
  await assert.rejects(
    client.send(new CreateTargetGroupCommand({ Name: uniqueName('tg'), Protocol: 'HTTP', Port: 80, HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 5 })),
    /Health check interval must be greater than the timeout/,
  );

  const modified = await client.send(new ModifyTargetGroupCommand({
    TargetGroupArn: tg?.TargetGroupArn, HealthCheckPath: '/health', Matcher: { HttpCode: '200-299' }, HealthyThresholdCount: 2,
  }));
  assert.equal(modified.TargetGroups?.[0]?.HealthCheckPath, '/health');
  assert.deepEqual(modified.TargetGroups?.[0]?.Matcher, { HttpCode: '200-299' });

  const attrs = await client.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg?.TargetGroupArn }));
  const attr = (list: typeof attrs.Attributes, key: string) => list?.find((a) => a.Key === key)?.Value;
  assert.equal(attr(attrs.Attributes, 'deregistration_delay.timeout_seconds'), '300');
  assert.equal(attr(attrs.Attributes, 'stickiness.enabled'), 'false');
  assert.equal(attr(attrs.Attributes, 'load_balancing.algorithm.type'), 'round_robin');
  const changed = await client.send(new ModifyTargetGroupAttributesCommand({
    TargetGroupArn: tg?.TargetGroupArn, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '20' }],
  }));
  assert.equal(attr(changed.Attributes, 'deregistration_delay.timeout_seconds'), '20');
  await assert.rejects(
    client.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg?.TargetGroupArn, Attributes: [{ Key: 'bogus', Value: '1' }] })),
    /Target group attribute key 'bogus' is not recognized/,
  );

  const byName = await client.send(new DescribeTargetGroupsCommand({ Names: [name] }));
  assert.equal(byName.TargetGroups?.[0]?.TargetGroupArn, tg?.TargetGroupArn);
  await assert.rejects(client.send(new DescribeTargetGroupsCommand({ Names: ['missing'] })), TargetGroupNotFoundException);

  await client.send(new RegisterTargetsCommand({ TargetGroupArn: tg?.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: 9999 }] }));
  const health = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg?.TargetGroupArn }));
  assert.deepEqual(health.TargetHealthDescriptions, [{
    Target: { Id: '127.0.0.1', Port: 9999 },
    HealthCheckPort: '9999',
    TargetHealth: { State: 'unused', Reason: 'Target.NotInUse', Description: 'Target group is not configured to receive traffic from the load balancer' },
  }]);
  const unknown = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg?.TargetGroupArn, Targets: [{ Id: '127.0.0.1', Port: 1 }] }));
  assert.equal(unknown.TargetHealthDescriptions?.[0]?.TargetHealth?.Reason, 'Target.NotRegistered');
  await assert.rejects(
    client.send(new RegisterTargetsCommand({ TargetGroupArn: tg?.TargetGroupArn, Targets: [{ Id: 'i-0123', Port: 80 }] })),
    (err: Error) => err.name === 'InvalidTargetException' || err.name === 'InvalidTarget',
  );

  await client.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg?.TargetGroupArn }));
  await assert.rejects(client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg?.TargetGroupArn ?? ''] })), TargetGroupNotFoundException);
});

test('ELBv2 API: listeners, forward configs, in-use groups and duplicate ports', async (t) => {
  const { client } = await startElbv2(t);
  const lb = (await client.send(new CreateLoadBalancerCommand({ Name: uniqueName('lb') }))).LoadBalancers?.[0];
  const blue = (await client.send(new CreateTargetGroupCommand({ Name: uniqueName('blue'), Protocol: 'HTTP', Port: 80 }))).TargetGroups?.[0];
  const green = (await client.send(new CreateTargetGroupCommand({ Name: uniqueName('green'), Protocol: 'HTTP', Port: 80 }))).TargetGroups?.[0];
  const port = await freePort();
  const created = await client.send(new CreateListenerCommand({
    LoadBalancerArn: lb?.LoadBalancerArn, Protocol: 'HTTP', Port: port,
    DefaultActions: [{ Type: 'forward', TargetGroupArn: blue?.TargetGroupArn }],
  }));
  const listener = created.Listeners?.[0];
  assert.match(listener?.ListenerArn ?? '', /:listener\/app\/[^/]+\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
  assert.deepEqual(listener?.DefaultActions, [{
    Type: 'forward',
    TargetGroupArn: blue?.TargetGroupArn,
    ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue?.TargetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
  }]);

  const described = await client.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
  assert.deepEqual(described.TargetGroups?.map((g) => g.TargetGroupArn), [blue?.TargetGroupArn]);
  assert.deepEqual(described.TargetGroups?.[0]?.LoadBalancerArns, [lb?.LoadBalancerArn]);

  await assert.rejects(client.send(new DeleteTargetGroupCommand({ TargetGroupArn: blue?.TargetGroupArn })), (err: Error) => {
    assert.ok(err instanceof ResourceInUseException);
    assert.equal(err.message, `Target group '${blue?.TargetGroupArn}' is currently in use by a listener or a rule`);
    return true;
  });
  await assert.rejects(
    client.send(new CreateListenerCommand({
      LoadBalancerArn: lb?.LoadBalancerArn, Protocol: 'HTTP', Port: port,
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
    })),
    DuplicateListenerException,
  );

  const modified = await client.send(new ModifyListenerCommand({
    ListenerArn: listener?.ListenerArn,
    DefaultActions: [{
      Type: 'forward',
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: blue?.TargetGroupArn, Weight: 90 }, { TargetGroupArn: green?.TargetGroupArn, Weight: 10 }] },
    }],
  }));
  const action = modified.Listeners?.[0]?.DefaultActions?.[0];
  assert.equal(action?.TargetGroupArn, undefined);
  assert.deepEqual(action?.ForwardConfig?.TargetGroups, [
    { TargetGroupArn: blue?.TargetGroupArn, Weight: 90 },
    { TargetGroupArn: green?.TargetGroupArn, Weight: 10 },
  ]);
  const listed = await client.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
  assert.equal(listed.Listeners?.length, 1);

  const other = (await client.send(new CreateLoadBalancerCommand({ Name: uniqueName('other') }))).LoadBalancers?.[0];
  await assert.rejects(
    client.send(new CreateListenerCommand({
      LoadBalancerArn: other?.LoadBalancerArn, Protocol: 'HTTP', Port: await freePort(),
      DefaultActions: [{ Type: 'forward', TargetGroupArn: green?.TargetGroupArn }],
    })),
    TargetGroupAssociationLimitException,
  );

  await client.send(new DeleteListenerCommand({ ListenerArn: listener?.ListenerArn }));
  await assert.rejects(client.send(new DescribeListenersCommand({ ListenerArns: [listener?.ListenerArn ?? ''] })), ListenerNotFoundException);
  await client.send(new DeleteTargetGroupCommand({ TargetGroupArn: blue?.TargetGroupArn }));
});

test('ELBv2 API: a listener port that cannot be bound fails CreateListener and creates nothing', async (t) => {
  const { client } = await startElbv2(t);
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', () => resolve()));
  t.after(() => new Promise<void>((resolve) => squatter.close(() => resolve())));
  const taken = (squatter.address() as { port: number }).port;
  const lb = (await client.send(new CreateLoadBalancerCommand({ Name: uniqueName('lb') }))).LoadBalancers?.[0];
  await assert.rejects(
    client.send(new CreateListenerCommand({
      LoadBalancerArn: lb?.LoadBalancerArn, Protocol: 'HTTP', Port: taken,
      DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '200' } }],
    })),
    (err: Error) => {
      assert.ok(err instanceof InvalidConfigurationRequestException);
      assert.match(err.message, new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${taken} \\(EADDRINUSE\\)`));
      assert.match(err.message, /--listener-port-map/);
      return true;
    },
  );
  const listed = await client.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }));
  assert.deepEqual(listed.Listeners, []);
});
