import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand, DeregisterTargetsCommand,
  DescribeTargetHealthCommand, ModifyListenerCommand, ModifyLoadBalancerAttributesCommand, ModifyTargetGroupAttributesCommand,
  RegisterTargetsCommand, type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { uniqueName } from '../support/clients.js';
import { eventually, freePort, get, startBackend, startElbv2, type Backend } from './elbv2-harness.js';

const SCOPE = { account: '000000000000', region: 'us-east-1' };

async function targetGroup(client: ElasticLoadBalancingV2Client, name = uniqueName('tg')): Promise<string> {
  const created = await client.send(new CreateTargetGroupCommand({
    Name: name, Protocol: 'HTTP', Port: 80, TargetType: 'ip', HealthCheckPath: '/health',
    HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2,
  }));
  return created.TargetGroups?.[0]?.TargetGroupArn ?? '';
}

async function listenerOn(client: ElasticLoadBalancingV2Client, forward: Array<{ arn: string; weight: number }>) {
  const lb = (await client.send(new CreateLoadBalancerCommand({ Name: uniqueName('lb') }))).LoadBalancers?.[0];
  const port = await freePort();
  const listener = await client.send(new CreateListenerCommand({
    LoadBalancerArn: lb?.LoadBalancerArn, Protocol: 'HTTP', Port: port,
    DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: forward.map((f) => ({ TargetGroupArn: f.arn, Weight: f.weight })) } }],
  }));
  return { port, lbArn: lb?.LoadBalancerArn ?? '', listenerArn: listener.Listeners?.[0]?.ListenerArn ?? '' };
}

async function register(client: ElasticLoadBalancingV2Client, tg: string, ...backends: Backend[]): Promise<void> {
  await client.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: backends.map((b) => ({ Id: '127.0.0.1', Port: b.port })) }));
}

async function states(client: ElasticLoadBalancingV2Client, tg: string): Promise<string[]> {
  const out = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));
  return (out.TargetHealthDescriptions ?? []).map((d) => `${d.Target?.Port}:${d.TargetHealth?.State}`);
}

async function allHealthy(client: ElasticLoadBalancingV2Client, tg: string, count: number): Promise<void> {
  await eventually('targets healthy', async () => {
    const s = await states(client, tg);
    return s.length === count && s.every((x) => x.endsWith(':healthy')) ? true : undefined;
  });
}

test('ELBv2 data plane: a listener proxies round robin to healthy targets with forwarding headers', async (t) => {
  const { client, elbv2 } = await startElbv2(t);
  const a = await startBackend(t, 'a');
  const b = await startBackend(t, 'b');
  const tg = await targetGroup(client);
  const { port, lbArn } = await listenerOn(client, [{ arn: tg, weight: 1 }]);
  await register(client, tg, a, b);
  const first = await states(client, tg);
  assert.ok(first.every((s) => s.endsWith(':initial')), first.join());
  await allHealthy(client, tg, 2);

  const bodies: string[] = [];
  for (let i = 0; i < 10; i++) bodies.push((await get(port, '/hello?x=1')).body);
  assert.equal(bodies.filter((x) => x === 'a').length, 5);
  assert.equal(bodies.filter((x) => x === 'b').length, 5);
  const seen = a.requests[0];
  assert.equal(seen?.url, '/hello?x=1');
  assert.equal(seen?.headers['x-forwarded-for'], '127.0.0.1');
  assert.equal(seen?.headers['x-forwarded-proto'], 'http');
  assert.equal(seen?.headers['x-forwarded-port'], String(port));
  assert.match(String(seen?.headers['x-amzn-trace-id']), /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);

  const traffic = elbv2.traffic();
  assert.equal(traffic.loadBalancers[lbArn]?.RequestCount, 10);
  assert.equal(traffic.targetGroups[tg]?.HTTPCode_Target_2XX_Count, 10);
  assert.equal(traffic.targetGroups[tg]?.TargetResponseTime.count, 10);
});

test('ELBv2 data plane: a 10/90 forward config splits 1000 requests within a few points', async (t) => {
  const { client } = await startElbv2(t);
  const a = await startBackend(t, 'a');
  const b = await startBackend(t, 'b');
  const tgA = await targetGroup(client);
  const tgB = await targetGroup(client);
  await register(client, tgA, a);
  await register(client, tgB, b);
  const { port } = await listenerOn(client, [{ arn: tgA, weight: 10 }, { arn: tgB, weight: 90 }]);
  await allHealthy(client, tgA, 1);
  await allHealthy(client, tgB, 1);
  let toA = 0;
  for (let batch = 0; batch < 20; batch++) {
    const replies = await Promise.all(Array.from({ length: 50 }, () => get(port)));
    toA += replies.filter((r) => r.body === 'a').length;
  }
  assert.ok(toA >= 70 && toA <= 130, `a got ${toA} of 1000`);
});

test('ELBv2 data plane: no registered targets answers ALB 503; a dead target 502', async (t) => {
  const { client, elbv2 } = await startElbv2(t);
  const tg = await targetGroup(client);
  const { port, lbArn } = await listenerOn(client, [{ arn: tg, weight: 1 }]);
  const empty = await get(port);
  assert.equal(empty.status, 503);
  assert.match(empty.body, /<title>503 Service Temporarily Unavailable<\/title>/);
  assert.equal(empty.headers.server, 'awselb/2.0');

  const deadPort = await freePort();
  await client.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: '127.0.0.1', Port: deadPort }] }));
  // Unhealthy after two failed checks, but ALB fails open to it: the connection is refused, so 502.
  await eventually('target unhealthy', async () => ((await states(client, tg))[0]?.endsWith(':unhealthy') ? true : undefined));
  const health = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }));
  assert.equal(health.TargetHealthDescriptions?.[0]?.TargetHealth?.Reason, 'Target.FailedHealthChecks');
  const dead = await get(port);
  assert.equal(dead.status, 502);
  assert.match(dead.body, /502 Bad Gateway/);
  const counters = elbv2.traffic().loadBalancers[lbArn];
  assert.equal(counters?.HTTPCode_ELB_503_Count, 1);
  assert.equal(counters?.HTTPCode_ELB_502_Count, 1);
});

test('ELBv2 data plane: failing health checks mark a target unhealthy with the code, and it recovers', async (t) => {
  const { client } = await startElbv2(t);
  const a = await startBackend(t, 'a');
  const tg = await targetGroup(client);
  await listenerOn(client, [{ arn: tg, weight: 1 }]);
  await register(client, tg, a);
  await allHealthy(client, tg, 1);
  a.healthStatus = 503;
  const unhealthy = await eventually('unhealthy', async () => {
    const d = (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }))).TargetHealthDescriptions?.[0];
    return d?.TargetHealth?.State === 'unhealthy' ? d.TargetHealth : undefined;
  });
  assert.deepEqual(unhealthy, { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [503]' });
  a.healthStatus = 200;
  await allHealthy(client, tg, 1);
});

test('ELBv2 data plane: a deregistered target drains for the delay, finishes in-flight requests, then is gone', async (t) => {
  const { client, elbv2 } = await startElbv2(t);
  const a = await startBackend(t, 'a');
  const b = await startBackend(t, 'b');
  const tg = await targetGroup(client);
  await client.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }] }));
  const { port } = await listenerOn(client, [{ arn: tg, weight: 1 }]);
  await register(client, tg, a, b);
  await allHealthy(client, tg, 2);

  // Find a request that lands on a and keep it in flight while a is deregistered.
  let inFlight: Promise<{ body: string }> | undefined;
  for (let i = 0; i < 2 && !inFlight; i++) {
    const before = a.requests.length;
    const pending = get(port, '/slow?ms=300');
    await eventually('request arrives', () => (a.requests.length > before || b.requests.some((r) => r.url?.startsWith('/slow')) ? true : undefined));
    if (a.requests.length > before) inFlight = pending;
    else await pending;
  }
  assert.ok(inFlight, 'a request is in flight to a');
  await client.send(new DeregisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: '127.0.0.1', Port: a.port }] }));
  const drained = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg, Targets: [{ Id: '127.0.0.1', Port: a.port }] }));
  assert.deepEqual(drained.TargetHealthDescriptions?.[0]?.TargetHealth, {
    State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress',
  });
  assert.equal(elbv2.plane.targetHealth(SCOPE, { targetGroupArn: tg, id: '127.0.0.1', port: a.port })?.state, 'draining');

  const during = await Promise.all(Array.from({ length: 10 }, () => get(port)));
  assert.ok(during.every((r) => r.body === 'b'), 'no new requests to a draining target');
  assert.equal((await inFlight).body, 'a', 'the in-flight request completes');

  await eventually('draining over', () =>
    elbv2.plane.targetHealth(SCOPE, { targetGroupArn: tg, id: '127.0.0.1', port: a.port }) === undefined ? true : undefined,
  );
  assert.deepEqual(await states(client, tg), [`${b.port}:healthy`]);
});

test('ELBv2 data plane: a target slower than the idle timeout gets a 504', async (t) => {
  const { client } = await startElbv2(t);
  const a = await startBackend(t, 'a');
  const tg = await targetGroup(client);
  const { port, lbArn } = await listenerOn(client, [{ arn: tg, weight: 1 }]);
  await client.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: lbArn, Attributes: [{ Key: 'idle_timeout.timeout_seconds', Value: '5' }] }));
  await register(client, tg, a);
  await allHealthy(client, tg, 1);
  // 5 virtual seconds at speed 50 is 100 ms; the target takes 1 s.
  const slow = await get(port, '/slow?ms=1000');
  assert.equal(slow.status, 504);
  assert.match(slow.body, /504 Gateway Time-out/);
  assert.equal((await get(port, '/slow?ms=10')).status, 200);
});

test('ELBv2 data plane: fixed-response actions and the LoadBalancingPlane contract', async (t) => {
  const { client, elbv2 } = await startElbv2(t);
  const a = await startBackend(t, 'a');
  const tg = await targetGroup(client);
  const { port, listenerArn } = await listenerOn(client, [{ arn: tg, weight: 1 }]);
  await client.send(new ModifyListenerCommand({
    ListenerArn: listenerArn,
    DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '418', ContentType: 'text/plain', MessageBody: 'teapot' } }],
  }));
  const fixed = await get(port);
  assert.deepEqual([fixed.status, fixed.body], [418, 'teapot']);
  await client.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }] }));

  const ref = { targetGroupArn: tg, id: '127.0.0.1', port: a.port };
  assert.equal(elbv2.plane.targetHealth(SCOPE, ref), undefined);
  assert.equal(elbv2.plane.describeTargetGroup(SCOPE, tg)?.port, 80);
  elbv2.plane.registerTarget(SCOPE, ref);
  await eventually('healthy via plane', () => (elbv2.plane.targetHealth(SCOPE, ref)?.state === 'healthy' ? true : undefined));
  assert.equal((await get(port)).body, 'a');
  await client.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg, Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '0' }] }));
  elbv2.plane.deregisterTarget(SCOPE, ref);
  assert.equal(elbv2.plane.targetHealth(SCOPE, ref), undefined);
  assert.equal((await get(port)).status, 503);
});

test('ELBv2 persistence: a restored listener is served again and targets start at initial', async (t) => {
  const first = await startElbv2(t);
  const a = await startBackend(t, 'a');
  const tg = await targetGroup(first.client);
  const { port } = await listenerOn(first.client, [{ arn: tg, weight: 1 }]);
  await register(first.client, tg, a);
  await allHealthy(first.client, tg, 1);
  const saved = JSON.parse(JSON.stringify(first.elbv2.state.snapshot()));
  await first.elbv2.close();

  const second = await startElbv2(t, { restore: saved });
  const ref = { targetGroupArn: tg, id: '127.0.0.1', port: a.port };
  assert.equal(second.elbv2.plane.targetHealth(SCOPE, ref)?.state, 'initial');
  await allHealthy(second.client, tg, 1);
  assert.equal((await get(port)).body, 'a');
});
