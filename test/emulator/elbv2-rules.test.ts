import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateRuleCommand, CreateTargetGroupCommand, DeleteListenerCommand, DeleteRuleCommand,
  DeleteTargetGroupCommand, DescribeRulesCommand, DescribeTagsCommand, DescribeTargetGroupsCommand, DescribeTargetHealthCommand,
  ListenerNotFoundException, ModifyListenerCommand, ModifyRuleCommand, OperationNotPermittedException, PriorityInUseException,
  RegisterTargetsCommand, ResourceInUseException, RuleNotFoundException, SetRulePrioritiesCommand, TargetGroupNotFoundException,
  TooManyRulesException, type Action, type ElasticLoadBalancingV2Client, type RuleCondition,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { uniqueName } from '../support/clients.js';
import { eventually, freePort, get, startBackend, startElbv2, type Backend } from './elbv2-harness.js';

async function targetGroup(client: ElasticLoadBalancingV2Client): Promise<string> {
  const created = await client.send(new CreateTargetGroupCommand({
    Name: uniqueName('tg'), Protocol: 'HTTP', Port: 80, TargetType: 'ip', HealthCheckPath: '/health',
    HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2, UnhealthyThresholdCount: 2,
  }));
  return created.TargetGroups?.[0]?.TargetGroupArn ?? '';
}

async function listener(client: ElasticLoadBalancingV2Client, defaultActions: Action[]) {
  const lb = (await client.send(new CreateLoadBalancerCommand({ Name: uniqueName('lb') }))).LoadBalancers?.[0];
  const port = await freePort();
  const created = await client.send(new CreateListenerCommand({ LoadBalancerArn: lb?.LoadBalancerArn, Protocol: 'HTTP', Port: port, DefaultActions: defaultActions }));
  return { port, lbArn: lb?.LoadBalancerArn ?? '', listenerArn: created.Listeners?.[0]?.ListenerArn ?? '' };
}

const forward = (arn: string): Action[] => [{ Type: 'forward', TargetGroupArn: arn }];
const weighted = (...groups: Array<[string, number]>): Action[] => [
  { Type: 'forward', ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } },
];
const path = (...values: string[]): RuleCondition => ({ Field: 'path-pattern', PathPatternConfig: { Values: values } });

async function register(client: ElasticLoadBalancingV2Client, tg: string, backend: Backend): Promise<void> {
  await client.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: '127.0.0.1', Port: backend.port }] }));
}

async function healthOf(client: ElasticLoadBalancingV2Client, tg: string) {
  return (await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }))).TargetHealthDescriptions?.[0]?.TargetHealth;
}

async function healthy(client: ElasticLoadBalancingV2Client, tg: string): Promise<void> {
  await eventually(`targets of ${tg} healthy`, async () => ((await healthOf(client, tg))?.State === 'healthy' ? true : undefined));
}

function rejectsWith(promise: Promise<unknown>, type: abstract new (...args: never[]) => Error, message?: RegExp | string) {
  return assert.rejects(promise, (err: Error) => {
    assert.ok(err instanceof type, `${err.name}: ${err.message}`);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message) assert.match(err.message, message);
    return true;
  });
}

function rejectsValidation(promise: Promise<unknown>, message: RegExp) {
  return assert.rejects(promise, (err: Error) => {
    assert.equal(err.name, 'ValidationError', err.message);
    assert.match(err.message, message);
    return true;
  });
}

test('ELBv2 rules API: create, describe with the default rule, modify, reprioritise, delete', async (t) => {
  const { client } = await startElbv2(t);
  const backend = await startBackend(t, 'b');
  const tgDefault = await targetGroup(client);
  const tgApi = await targetGroup(client);
  const tgCanary = await targetGroup(client);
  const { listenerArn, lbArn } = await listener(client, forward(tgDefault));
  await register(client, tgApi, backend);
  assert.equal((await healthOf(client, tgApi))?.Reason, 'Target.NotInUse', 'no rule forwards to it yet');

  const created = await client.send(new CreateRuleCommand({
    ListenerArn: listenerArn, Priority: 10, Conditions: [path('/api/*')], Actions: forward(tgApi), Tags: [{ Key: 'team', Value: 'api' }],
  }));
  const rule = created.Rules?.[0];
  const listenerPath = listenerArn.split(':listener/')[1];
  assert.match(rule?.RuleArn ?? '', new RegExp(`^arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/${listenerPath}/[0-9a-f]{16}$`));
  assert.equal(rule?.Priority, '10');
  assert.equal(rule?.IsDefault, false);
  assert.deepEqual(rule?.Conditions, [{ Field: 'path-pattern', Values: ['/api/*'], PathPatternConfig: { Values: ['/api/*'] } }]);
  assert.equal(rule?.Actions?.[0]?.TargetGroupArn, tgApi);
  const ruleArn = rule?.RuleArn ?? '';

  // A rule puts its group in use: health checks start, and the group belongs to the load balancer.
  assert.equal((await healthOf(client, tgApi))?.State, 'initial');
  const described = await client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tgApi] }));
  assert.deepEqual(described.TargetGroups?.[0]?.LoadBalancerArns, [lbArn]);
  await rejectsWith(client.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgApi })), ResourceInUseException);

  const canary = await client.send(new CreateRuleCommand({
    ListenerArn: listenerArn, Priority: 20,
    Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'X-Canary', Values: ['true'] } }],
    Actions: [{
      Type: 'forward',
      ForwardConfig: {
        TargetGroups: [{ TargetGroupArn: tgApi, Weight: 90 }, { TargetGroupArn: tgCanary, Weight: 10 }],
        TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
      },
    }],
  }));
  const canaryArn = canary.Rules?.[0]?.RuleArn ?? '';
  assert.deepEqual(canary.Rules?.[0]?.Actions?.[0]?.ForwardConfig?.TargetGroupStickinessConfig, { Enabled: true, DurationSeconds: 300 });

  const all = (await client.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules ?? [];
  assert.deepEqual(all.map((r) => [r.Priority, r.IsDefault]), [['10', false], ['20', false], ['default', true]]);
  const defaultRule = all[2];
  assert.deepEqual(defaultRule?.Conditions, []);
  assert.equal(defaultRule?.Actions?.[0]?.TargetGroupArn, tgDefault);
  assert.match(defaultRule?.RuleArn ?? '', /:listener-rule\/app\//);
  const byArn = await client.send(new DescribeRulesCommand({ RuleArns: [defaultRule?.RuleArn ?? '', canaryArn] }));
  assert.deepEqual(byArn.Rules?.map((r) => r.Priority), ['default', '20']);

  await rejectsWith(
    client.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: 10, Conditions: [path('/x')], Actions: forward(tgApi) })),
    PriorityInUseException,
    "Priority '10' is currently in use",
  );

  // Swapping two priorities in one call is allowed; the result must be unique.
  const swapped = await client.send(new SetRulePrioritiesCommand({
    RulePriorities: [{ RuleArn: ruleArn, Priority: 20 }, { RuleArn: canaryArn, Priority: 10 }],
  }));
  assert.deepEqual(swapped.Rules?.map((r) => r.Priority), ['20', '10']);
  await rejectsWith(
    client.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: ruleArn, Priority: 10 }] })),
    PriorityInUseException,
    "Priority '10' is currently in use",
  );
  const order = (await client.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules?.map((r) => r.RuleArn);
  assert.deepEqual(order, [canaryArn, ruleArn, defaultRule?.RuleArn]);

  const modified = await client.send(new ModifyRuleCommand({
    RuleArn: ruleArn,
    Conditions: [path('/v2/*'), { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET', 'HEAD'] } }],
  }));
  assert.deepEqual(modified.Rules?.[0]?.Conditions?.[1], { Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['GET', 'HEAD'] } });
  assert.equal(modified.Rules?.[0]?.Actions?.[0]?.TargetGroupArn, tgApi, 'actions kept');

  const defaultArn = defaultRule?.RuleArn ?? '';
  await rejectsWith(client.send(new DeleteRuleCommand({ RuleArn: defaultArn })), OperationNotPermittedException, `Default rule '${defaultArn}' cannot be deleted`);
  await rejectsWith(client.send(new ModifyRuleCommand({ RuleArn: defaultArn, Conditions: [path('/')] })), OperationNotPermittedException, /cannot be modified/);
  await rejectsWith(
    client.send(new SetRulePrioritiesCommand({ RulePriorities: [{ RuleArn: defaultArn, Priority: 5 }] })),
    OperationNotPermittedException,
  );

  const tags = await client.send(new DescribeTagsCommand({ ResourceArns: [ruleArn] }));
  assert.deepEqual(tags.TagDescriptions?.[0]?.Tags, [{ Key: 'team', Value: 'api' }]);

  await client.send(new DeleteRuleCommand({ RuleArn: canaryArn }));
  await client.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgCanary }));
  await rejectsWith(client.send(new DeleteRuleCommand({ RuleArn: canaryArn })), RuleNotFoundException, 'One or more rules not found');
  await client.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
  assert.equal((await healthOf(client, tgApi))?.Reason, 'Target.NotInUse', 'no longer in use');
  await client.send(new DeleteTargetGroupCommand({ TargetGroupArn: tgApi }));

  // Deleting the listener deletes its rules.
  const again = await client.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: 1, Conditions: [path('/a')], Actions: forward(tgDefault) }));
  await client.send(new DeleteListenerCommand({ ListenerArn: listenerArn }));
  await rejectsWith(client.send(new DescribeRulesCommand({ RuleArns: [again.Rules?.[0]?.RuleArn ?? ''] })), RuleNotFoundException);
  await rejectsWith(client.send(new DescribeRulesCommand({ ListenerArn: listenerArn })), ListenerNotFoundException);
});

test('ELBv2 rules API: errors and ALB limits', async (t) => {
  const { client } = await startElbv2(t);
  const tg = await targetGroup(client);
  const { listenerArn, lbArn } = await listener(client, [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }]);
  const create = (priority: number, conditions: RuleCondition[], actions: Action[] = forward(tg)) =>
    client.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: priority, Conditions: conditions, Actions: actions }));

  await rejectsWith(
    client.send(new CreateRuleCommand({ ListenerArn: `${listenerArn.slice(0, -4)}0000`, Priority: 1, Conditions: [path('/')], Actions: forward(tg) })),
    ListenerNotFoundException,
  );
  await rejectsWith(create(1, [path('/')], forward(`${tg.slice(0, -4)}0000`)), TargetGroupNotFoundException);
  await rejectsValidation(create(0, [path('/')]), /at 'priority' failed to satisfy constraint: Member must have value greater than or equal to 1/);
  await rejectsValidation(create(50001, [path('/')]), /less than or equal to 50000/);
  await rejectsValidation(create(1, []), /at least one condition/);
  await rejectsValidation(create(1, [path('/a'), path('/b')]), /only one 'path-pattern' condition/);
  await rejectsValidation(create(1, [path('/a', '/b', '/c', '/d')]), /at most 3 values/);
  await rejectsValidation(
    create(1, [path('/a', '/b', '/c'), { Field: 'host-header', HostHeaderConfig: { Values: ['a.example.com', 'b.example.com', 'c.example.com'] } }]),
    /'5' condition values/,
  );
  await rejectsValidation(create(1, [path('/*/*/*'), { Field: 'host-header', HostHeaderConfig: { Values: ['*.*.*'] } }]), /'5' wildcards/);
  await rejectsValidation(create(1, [{ Field: 'cookie', Values: ['x'] }]), /Condition field 'cookie' is not valid/);
  await rejectsValidation(create(1, [{ Field: 'source-ip', SourceIpConfig: { Values: ['10.0.0.1'] } }]), /must be a CIDR block/);
  await rejectsValidation(create(1, [{ Field: 'http-request-method', HttpRequestMethodConfig: { Values: ['get'] } }]), /not valid/);
  await rejectsValidation(create(1, [path('/')], [...forward(tg), ...forward(tg)]), /only one forward, fixed-response or redirect action/);
  await rejectsWith(client.send(new ModifyRuleCommand({ RuleArn: `${listenerArn.replace(':listener/', ':listener-rule/')}/0000000000000000` })), RuleNotFoundException);

  // The legacy Values form, query strings and source IPs round-trip in AWS's shapes.
  const legacy = await create(1, [
    { Field: 'host-header', Values: ['api.example.com'] },
    { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'v', Value: '2' }, { Value: 'beta' }] } },
    { Field: 'source-ip', SourceIpConfig: { Values: ['127.0.0.0/8'] } },
  ]);
  assert.deepEqual(legacy.Rules?.[0]?.Conditions, [
    { Field: 'host-header', Values: ['api.example.com'], HostHeaderConfig: { Values: ['api.example.com'] } },
    { Field: 'query-string', QueryStringConfig: { Values: [{ Key: 'v', Value: '2' }, { Value: 'beta' }] } },
    { Field: 'source-ip', SourceIpConfig: { Values: ['127.0.0.0/8'] } },
  ]);

  // 100 rules per load balancer, default rules not counted.
  for (let priority = 2; priority <= 100; priority++) await create(priority, [path(`/r${priority}`)]);
  await rejectsWith(create(101, [path('/r101')]), TooManyRulesException, new RegExp(lbArn.replaceAll('/', '\\/')));
  const listed = await client.send(new DescribeRulesCommand({ ListenerArn: listenerArn, PageSize: 60 }));
  assert.equal(listed.Rules?.length, 60);
  const rest = await client.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: listed.NextMarker }));
  assert.equal(rest.Rules?.length, 41);
  assert.equal(rest.Rules?.at(-1)?.IsDefault, true);
});

test('ELBv2 rules data plane: path and header rules route to their groups; weighted rule shifts on ModifyRule', async (t) => {
  const { client } = await startElbv2(t);
  const [main, api, canary, blue, green] = await Promise.all(['main', 'api', 'canary', 'blue', 'green'].map((n) => startBackend(t, n)));
  const groups = await Promise.all([main, api, canary, blue, green].map(() => targetGroup(client)));
  const [tgMain, tgApi, tgCanary, tgBlue, tgGreen] = groups as [string, string, string, string, string];
  await Promise.all([main, api, canary, blue, green].map((b, i) => register(client, groups[i] ?? '', b as Backend)));
  const { port, listenerArn } = await listener(client, forward(tgMain));
  await client.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: 20, Conditions: [path('/api/*')], Actions: forward(tgApi) }));
  await client.send(new CreateRuleCommand({
    ListenerArn: listenerArn, Priority: 10, Actions: forward(tgCanary),
    Conditions: [{ Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-canary', Values: ['yes'] } }],
  }));
  await client.send(new CreateRuleCommand({
    ListenerArn: listenerArn, Priority: 30, Conditions: [path('/teapot')],
    Actions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '418', ContentType: 'text/plain', MessageBody: 'short and stout' } }],
  }));
  const shift = await client.send(new CreateRuleCommand({
    ListenerArn: listenerArn, Priority: 40, Conditions: [path('/shift/*')], Actions: weighted([tgBlue, 10], [tgGreen, 90]),
  }));
  for (const tg of groups) await healthy(client, tg);

  assert.equal((await get(port, '/')).body, 'main');
  assert.equal((await get(port, '/api/users?x=1')).body, 'api');
  assert.equal((await get(port, '/API/users')).body, 'main', 'path patterns are case sensitive');
  assert.equal((await get(port, '/api/users', { 'x-canary': 'YES' })).body, 'canary', 'priority 10 is evaluated first');
  const teapot = await get(port, '/teapot');
  assert.equal(teapot.status, 418);
  assert.equal(teapot.body, 'short and stout');

  let toBlue = 0;
  for (let batch = 0; batch < 20; batch++) {
    const replies = await Promise.all(Array.from({ length: 50 }, () => get(port, '/shift/x')));
    toBlue += replies.filter((r) => r.body === 'blue').length;
    assert.ok(replies.every((r) => r.body === 'blue' || r.body === 'green'));
  }
  assert.ok(toBlue >= 70 && toBlue <= 130, `blue got ${toBlue} of 1000, expected 10% within 3 points`);

  await client.send(new ModifyRuleCommand({ RuleArn: shift.Rules?.[0]?.RuleArn, Actions: weighted([tgBlue, 100], [tgGreen, 0]) }));
  const after = await Promise.all(Array.from({ length: 50 }, () => get(port, '/shift/x')));
  assert.deepEqual(new Set(after.map((r) => r.body)), new Set(['blue']));

  // The default action's weights change for the next request too.
  await client.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: weighted([tgMain, 0], [tgGreen, 1]) }));
  const defaults = await Promise.all(Array.from({ length: 10 }, () => get(port, '/')));
  assert.deepEqual(new Set(defaults.map((r) => r.body)), new Set(['green']));
});

test('ELBv2 rules: rules survive a snapshot and restore, and keep routing', async (t) => {
  const first = await startElbv2(t);
  const backend = await startBackend(t, 'api');
  const tgMain = await targetGroup(first.client);
  const tgApi = await targetGroup(first.client);
  await register(first.client, tgApi, backend);
  const { port, listenerArn } = await listener(first.client, forward(tgMain));
  const created = await first.client.send(new CreateRuleCommand({ ListenerArn: listenerArn, Priority: 7, Conditions: [path('/api/*')], Actions: forward(tgApi) }));
  const before = (await first.client.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules;
  const snapshot = JSON.parse(JSON.stringify(first.elbv2.state.snapshot())) as unknown;
  await first.elbv2.close();

  const second = await startElbv2(t, { restore: snapshot });
  const after = (await second.client.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules;
  assert.deepEqual(after, before, 'the same rules, default rule ARN included');
  assert.equal(after?.[0]?.RuleArn, created.Rules?.[0]?.RuleArn);
  await healthy(second.client, tgApi);
  assert.equal((await get(port, '/api/x')).body, 'api');
});
