import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CreateClusterCommand, CreateServiceCommand, ListClustersCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import {
  CreateListenerCommand, CreateLoadBalancerCommand, CreateTargetGroupCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { freePort } from '../../examples/lib/free-port.js';
import { uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

/**
 * Requests no SDK would send, straight over HTTP: every answer is a 4xx in the
 * error shape of the request's protocol, naming what is wrong, and the
 * emulator keeps serving afterwards.
 */

const ECS = 'AmazonEC2ContainerServiceV20141113';
const ECR = 'AmazonEC2ContainerRegistry_V20150921';
const ELB_VERSION = '2015-12-01';
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface Answer {
  status: number;
  headers: Headers;
  body: string;
}

async function post(url: string, headers: Record<string, string>, body: string | Uint8Array<ArrayBuffer>): Promise<Answer> {
  const res = await fetch(`${url}/`, { method: 'POST', headers, body });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/** An awsJson 1.1 call; `body` is sent as is. */
function postJson(url: string, target: string, body: string | Uint8Array<ArrayBuffer>): Promise<Answer> {
  return post(url, { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' }, body);
}

/** An awsQuery call with the parameters in the order given. */
function postQuery(url: string, params: Array<[string, string]> | string): Promise<Answer> {
  const body = typeof params === 'string' ? params : new URLSearchParams(params).toString();
  return post(url, { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body);
}

const unescapeXml = (text: string): string =>
  text
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

type Protocol = 'json' | 'xml';

/** The error an answer carries, after checking it has its protocol's AWS error shape. */
function errorOf(answer: Answer, protocol: Protocol): { code: string; message: string } {
  const shown = `${answer.status} ${answer.body.slice(0, 300)}`;
  if (protocol === 'xml') {
    assert.match(answer.headers.get('content-type') ?? '', /xml/, shown);
    const match =
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*<ErrorResponse xmlns="[^"]+"><Error><Type>(Sender|Receiver)<\/Type><Code>([^<]+)<\/Code><Message>([^<]*)<\/Message><\/Error><RequestId>[^<]+<\/RequestId><\/ErrorResponse>$/.exec(
        answer.body,
      );
    assert.ok(match, `an XML ErrorResponse/Error/Code: ${shown}`);
    return { code: match[2] ?? '', message: unescapeXml(match[3] ?? '') };
  }
  assert.match(answer.headers.get('content-type') ?? '', /json/, shown);
  const parsed = JSON.parse(answer.body) as { __type?: unknown; message?: unknown };
  assert.equal(typeof parsed.__type, 'string', `a JSON error with __type: ${shown}`);
  assert.equal(typeof parsed.message, 'string', `a JSON error with message: ${shown}`);
  assert.equal(answer.headers.get('x-amzn-errortype'), parsed.__type, `x-amzn-ErrorType matches __type: ${shown}`);
  return { code: parsed.__type as string, message: parsed.message as string };
}

function assertClientError(answer: Answer, protocol: Protocol, code: string, message: RegExp, status = 400): void {
  assert.equal(answer.status, status, `HTTP ${status} expected: ${answer.status} ${answer.body.slice(0, 300)}`);
  const error = errorOf(answer, protocol);
  assert.equal(error.code, code, error.message);
  assert.match(error.message, message);
}

async function assertStillServes(url: string, clients: Awaited<ReturnType<typeof startTestEmulator>>['clients']): Promise<void> {
  const health = await fetch(`${url}/_emulator/health`);
  assert.equal(((await health.json()) as { status: string }).status, 'ok');
  const clusters = await clients.ecs.send(new ListClustersCommand({}));
  assert.ok(Array.isArray(clusters.clusterArns));
}

test('malformed awsJson requests get 4xx JSON errors that name the problem', async (t) => {
  const { emulator, clients } = await startTestEmulator(t);
  const url = emulator.url;
  const cluster = uniqueName('bad-json');
  await clients.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  const family = uniqueName('bad-json-td');
  await clients.ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: 'app', image: 'app:v1', memory: 128 }] }));
  const container = { name: 'app', image: 'app:v1', memory: 128 };

  const cases: Array<{ what: string; target: string; body: string; code: string; message: RegExp }> = [
    { what: 'invalid JSON', target: `${ECS}.ListClusters`, body: '{"maxResults": ', code: 'SerializationException', message: /not valid JSON/ },
    { what: 'a JSON array', target: `${ECS}.ListClusters`, body: '[]', code: 'SerializationException', message: /ListClusters: the request body must be an object/ },
    { what: 'a JSON string', target: `${ECS}.CreateCluster`, body: '"prod"', code: 'SerializationException', message: /must be an object/ },
    { what: 'JSON null', target: `${ECS}.DescribeClusters`, body: 'null', code: 'SerializationException', message: /must be an object/ },
    { what: 'a JSON number', target: `${ECR}.DescribeRepositories`, body: '42', code: 'SerializationException', message: /ECR DescribeRepositories: the request body must be an object/ },
    {
      what: 'JSON nested thousands of levels deep',
      target: `${ECS}.CreateCluster`,
      body: `{"clusterName": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      code: 'SerializationException',
      message: /nest/,
    },
    {
      what: 'desiredCount as a string',
      target: `${ECS}.CreateService`,
      body: JSON.stringify({ cluster, serviceName: uniqueName('svc'), taskDefinition: family, desiredCount: 'three' }),
      code: 'InvalidParameterException',
      message: /desiredCount must be a non-negative integer/,
    },
    {
      what: 'containerDefinitions as a number',
      target: `${ECS}.RegisterTaskDefinition`,
      body: JSON.stringify({ family, containerDefinitions: 5 }),
      code: 'ClientException',
      message: /Container list cannot be empty/,
    },
    {
      what: 'tags as an object',
      target: `${ECS}.CreateCluster`,
      body: JSON.stringify({ clusterName: uniqueName('c'), tags: {} }),
      code: 'InvalidParameterException',
      message: /tags must be a list of tags/,
    },
    {
      what: 'portMappings as a string',
      target: `${ECS}.RegisterTaskDefinition`,
      body: JSON.stringify({ family, containerDefinitions: [{ ...container, portMappings: '8080' }] }),
      code: 'ClientException',
      message: /Value '"8080"' at 'portMappings' failed to satisfy constraint: Member must be a list of structures/,
    },
    {
      what: 'a port mapping that is null',
      target: `${ECS}.RegisterTaskDefinition`,
      body: JSON.stringify({ family, containerDefinitions: [{ ...container, portMappings: [null] }] }),
      code: 'ClientException',
      message: /at 'portMappings' failed to satisfy constraint: Member must be a list of structures/,
    },
    {
      what: 'dependsOn as an object',
      target: `${ECS}.RegisterTaskDefinition`,
      body: JSON.stringify({ family, containerDefinitions: [{ ...container, dependsOn: {} }] }),
      code: 'ClientException',
      message: /at 'dependsOn' failed to satisfy constraint: Member must be a list of structures/,
    },
    {
      what: 'an environment variable whose value is a number',
      target: `${ECS}.RegisterTaskDefinition`,
      body: JSON.stringify({ family, containerDefinitions: [{ ...container, environment: [{ name: 'PORT', value: 80 }] }] }),
      code: 'ClientException',
      message: /Value '80' at 'value' failed to satisfy constraint: Member must be a string/,
    },
    {
      what: 'a desiredCount no service can have',
      target: `${ECS}.CreateService`,
      body: JSON.stringify({ cluster, serviceName: uniqueName('svc'), taskDefinition: family, desiredCount: 1e308 }),
      code: 'InvalidParameterException',
      message: /desiredCount 1e\+308 is more than the 5000 tasks a service can run/,
    },
    {
      what: 'a load balancer that is null',
      target: `${ECS}.CreateService`,
      body: JSON.stringify({ cluster, serviceName: uniqueName('svc'), taskDefinition: family, loadBalancers: [null] }),
      code: 'InvalidParameterException',
      message: /loadBalancers must be a list of load balancer objects/,
    },
    {
      what: 'a circuit breaker that is a string',
      target: `${ECS}.CreateService`,
      body: JSON.stringify({ cluster, serviceName: uniqueName('svc'), taskDefinition: family, deploymentConfiguration: { deploymentCircuitBreaker: 'on' } }),
      code: 'InvalidParameterException',
      message: /deploymentCircuitBreaker requires enable and rollback/,
    },
    {
      what: 'include as an object',
      target: `${ECS}.DescribeClusters`,
      body: JSON.stringify({ clusters: [cluster], include: { TAGS: true } }),
      code: 'InvalidParameterException',
      message: /include must be a list of strings/,
    },
    {
      what: 'clusterName as a number',
      target: `${ECS}.CreateCluster`,
      body: JSON.stringify({ clusterName: 7 }),
      code: 'InvalidParameterException',
      message: /Value '7' at 'clusterName' failed to satisfy constraint: Member must be a string/,
    },
    {
      what: 'ECR tags as a string',
      target: `${ECR}.CreateRepository`,
      body: JSON.stringify({ repositoryName: uniqueName('repo'), tags: 'team=web' }),
      code: 'ValidationException',
      message: /tags/,
    },
    { what: 'an unknown target prefix', target: 'AmazonNope_V20200101.ListClusters', body: '{}', code: 'UnknownOperationException', message: /X-Amz-Target AmazonNope_V20200101\.ListClusters names no emulated service/ },
    { what: 'a target with no operation', target: ECS, body: '{}', code: 'UnknownOperationException', message: new RegExp(`X-Amz-Target ${ECS} names no emulated service`) },
    { what: 'an unknown ECS operation', target: `${ECS}.Frobnicate`, body: '{}', code: 'UnsupportedOperation', message: /ECS operation Frobnicate is not emulated/ },
    { what: 'a real ECS operation that is not emulated', target: `${ECS}.RunTask`, body: JSON.stringify({ cluster, taskDefinition: family }), code: 'UnsupportedOperation', message: /ECS operation RunTask is not emulated/ },
    { what: 'a real ECR operation that is not emulated', target: `${ECR}.GetAuthorizationToken`, body: '{}', code: 'UnsupportedOperation', message: /ECR operation GetAuthorizationToken is not emulated/ },
  ];
  for (const c of cases) {
    await t.test(c.what, async () => {
      assertClientError(await postJson(url, c.target, c.body), 'json', c.code, c.message);
    });
  }
  await assertStillServes(url, clients);
});

test('malformed awsQuery requests get 4xx XML errors that name the problem', async (t) => {
  const { emulator, clients } = await startTestEmulator(t);
  const url = emulator.url;
  const tg = await clients.elbv2.send(new CreateTargetGroupCommand({ Name: uniqueName('bad-q'), Protocol: 'HTTP', Port: 8080, TargetType: 'ip', VpcId: 'vpc-local' }));
  const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';
  const v: [string, string] = ['Version', ELB_VERSION];

  const cases: Array<{ what: string; params: Array<[string, string]> | string; code: string; message: RegExp }> = [
    { what: 'no Action', params: [v, ['Names.member.1', 'lb']], code: 'MissingAction', message: /no Action parameter/ },
    { what: 'an empty body', params: '', code: 'MissingAction', message: /no Action parameter/ },
    { what: 'an unknown Action', params: [['Action', 'Frobnicate'], v], code: 'UnsupportedOperation', message: /ELBv2 operation Frobnicate is not emulated/ },
    { what: 'a real ELBv2 action that is not emulated', params: [['Action', 'DescribeSSLPolicies'], v], code: 'UnsupportedOperation', message: /ELBv2 operation DescribeSSLPolicies is not emulated/ },
    { what: 'an unknown API version', params: [['Action', 'DescribeLoadBalancers'], ['Version', '2099-01-01']], code: 'UnknownOperationException', message: /version 2099-01-01/ },
    {
      what: 'a list index that is not a number',
      params: [['Action', 'RegisterTargets'], v, ['TargetGroupArn', tgArn], ['Targets.member.x.Id', '127.0.0.1']],
      code: 'MalformedQueryString',
      message: /Targets\.member\.x/,
    },
    {
      what: 'a list index of 0',
      params: [['Action', 'RegisterTargets'], v, ['TargetGroupArn', tgArn], ['Targets.member.0.Id', '127.0.0.1']],
      code: 'MalformedQueryString',
      message: /Targets\.member\.0/,
    },
    {
      what: 'a port that is not a number',
      params: [['Action', 'CreateTargetGroup'], v, ['Name', uniqueName('tg')], ['Protocol', 'HTTP'], ['Port', 'abc']],
      code: 'ValidationError',
      message: /Value 'abc' at 'port' failed to satisfy constraint: Member must be an integer/,
    },
    {
      what: 'a target port that is not a number',
      params: [['Action', 'RegisterTargets'], v, ['TargetGroupArn', tgArn], ['Targets.member.1.Id', '127.0.0.1'], ['Targets.member.1.Port', '80x']],
      code: 'ValidationError',
      message: /Value '80x' at 'targets\.1\.member\.port'/,
    },
    {
      what: 'a boolean that is not one',
      params: [['Action', 'ModifyTargetGroup'], v, ['TargetGroupArn', tgArn], ['HealthCheckEnabled', 'yes']],
      code: 'ValidationError',
      message: /Value 'yes' at 'healthCheckEnabled' failed to satisfy constraint: Member must be a boolean/,
    },
    {
      what: 'a list sent as a plain value',
      params: [['Action', 'CreateLoadBalancer'], v, ['Name', uniqueName('lb')], ['Subnets', 'subnet-1']],
      code: 'ValidationError',
      message: /Value 'subnet-1' at 'subnets' failed to satisfy constraint: Member must be a list/,
    },
    {
      what: 'a value and a list under one name',
      params: [['Action', 'DescribeLoadBalancers'], v, ['Names', 'a'], ['Names.member.1', 'b']],
      code: 'MalformedQueryString',
      message: /Names\.member\.1 conflicts with Names/,
    },
    { what: 'an empty name part', params: [['Action', 'DescribeLoadBalancers'], v, ['Names..1', 'b']], code: 'MalformedQueryString', message: /Names\.\.1/ },
    {
      what: 'a parameter name nested thousands of levels deep',
      params: [['Action', 'DescribeLoadBalancers'], v, [`${'a.'.repeat(100_000)}b`, '1']],
      code: 'MalformedQueryString',
      message: /nest/,
    },
    { what: 'an unknown target group', params: [['Action', 'DescribeTargetHealth'], v, ['TargetGroupArn', `${tgArn}-gone`]], code: 'TargetGroupNotFound', message: /target groups not found/ },
  ];
  for (const c of cases) {
    await t.test(c.what, async () => {
      assertClientError(await postQuery(url, c.params), 'xml', c.code, c.message);
    });
  }

  await t.test('parameter names cannot reach Object.prototype', async () => {
    for (const name of ['__proto__.polluted', 'constructor.prototype.polluted', 'Names.member.1.__proto__.polluted', 'toString']) {
      const answer = await postQuery(url, [['Action', 'DescribeLoadBalancers'], v, [name, 'yes']]);
      assert.ok(answer.status < 500, `${name}: ${answer.status} ${answer.body}`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, `${name} polluted Object.prototype`);
      assert.equal((Object as unknown as Record<string, unknown>).polluted, undefined, `${name} polluted Object`);
    }
  });
  await assertStillServes(url, clients);
});

test('bodies over 10 MiB get 413 in the protocol of the request; other paths get 404', async (t) => {
  const { emulator, clients } = await startTestEmulator(t);
  const url = emulator.url;
  const huge = new Uint8Array(MAX_BODY_BYTES + 1).fill(0x20);

  const json = await postJson(url, `${ECS}.ListClusters`, huge);
  assertClientError(json, 'json', 'RequestEntityTooLarge', /request body exceeds 10485760 bytes/, 413);
  const query = await post(url, { 'content-type': 'application/x-www-form-urlencoded' }, huge);
  assertClientError(query, 'xml', 'RequestEntityTooLarge', /request body exceeds 10485760 bytes/, 413);
  // Exactly the limit is still read and answered as a request.
  const atLimit = await postJson(url, `${ECS}.ListClusters`, new Uint8Array(MAX_BODY_BYTES).fill(0x20));
  assert.equal(atLimit.status, 200, atLimit.body);

  for (const [method, path] of [['GET', '/'], ['GET', '/no/such/path?x=1'], ['DELETE', '/_emulator/stats'], ['POST', '/favicon.ico']] as const) {
    const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'text/plain' }, body: method === 'POST' ? 'hello' : undefined });
    const answer: Answer = { status: res.status, headers: res.headers, body: await res.text() };
    assertClientError(answer, 'json', 'UnknownOperationException', new RegExp(`no emulated AWS operation at ${method} ${path.split('?')[0]}`), 404);
  }
  await assertStillServes(url, clients);
});

/** mulberry32: a small seeded generator, so a failure replays exactly. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

class Mutator {
  constructor(readonly next: () => number) {}

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  string(): string {
    return this.pick([
      '', ' ', 'x', '-1', '0', '1e400', 'NaN', 'true', 'null', '[]', '{}', 'arn:aws:ecs:us-east-1:000000000000:cluster/',
      'a'.repeat(300), '🙂', '../../etc/passwd', '%00', '<x>&amp;', `r${this.int(1e6)}`, 'FARGATE', 'ip', 'HTTP', 'forward',
    ]);
  }

  value(depth = 0): Json {
    switch (this.int(depth > 1 ? 7 : 9)) {
      case 0: return null;
      case 1: return this.next() < 0.5;
      case 2: return this.pick([0, -1, 1, 2.5, 65536, 1e308, -0, Number.MAX_SAFE_INTEGER + 2]);
      case 3: return this.string();
      case 4: return [];
      case 5: return {};
      case 6: return this.int(3) === 0 ? [null] : [this.string()];
      case 7: return [this.value(depth + 1), this.value(depth + 1)];
      default: return { [this.string()]: this.value(depth + 1), key: this.value(depth + 1) };
    }
  }

  /** One to three edits anywhere in a JSON document: drop a field, swap a type, blank a string, wrap a value. */
  json(doc: Json): Json {
    const copy = JSON.parse(JSON.stringify(doc)) as Json;
    const edits = 1 + this.int(3);
    let root = copy;
    for (let i = 0; i < edits; i += 1) root = this.edit(root);
    return root;
  }

  private edit(root: Json): Json {
    const slots: Array<{ holder: Json[] | { [key: string]: Json }; key: string | number }> = [];
    const walk = (node: Json): void => {
      if (Array.isArray(node)) node.forEach((child, i) => (slots.push({ holder: node, key: i }), walk(child)));
      else if (node !== null && typeof node === 'object') for (const [k, child] of Object.entries(node)) (slots.push({ holder: node, key: k }), walk(child));
    };
    walk(root);
    if (slots.length === 0 || this.int(20) === 0) return this.value();
    const { holder, key } = this.pick(slots);
    const current = (holder as Record<string | number, Json>)[key] as Json;
    const kind = this.int(5);
    if (kind === 0 && !Array.isArray(holder)) delete holder[key as string];
    else if (kind === 1) (holder as Record<string | number, Json>)[key] = [current];
    else if (kind === 2 && typeof current === 'string') (holder as Record<string | number, Json>)[key] = this.string();
    else (holder as Record<string | number, Json>)[key] = this.value();
    return root;
  }

  /** Edits to awsQuery parameters: drop one, change a value, break an index, add a stray one. */
  query(params: Array<[string, string]>): Array<[string, string]> {
    const out = params.map(([k, val]) => [k, val] as [string, string]);
    const edits = 1 + this.int(3);
    for (let i = 0; i < edits; i += 1) {
      const at = this.int(out.length);
      const entry = out[at];
      switch (this.int(6)) {
        case 0: if (entry && entry[0] !== 'Action') out.splice(at, 1); break;
        case 1: if (entry) entry[1] = this.string(); break;
        case 2: if (entry) entry[0] = entry[0].replace(/member\.\d+/, `member.${this.pick(['x', '0', '-1', '', '99999999999999999999', '1.5'])}`); break;
        case 3: if (entry) entry[0] = `${entry[0]}.${this.pick(['member.1', 'Extra', 'entry.1.key', ''])}`; break;
        case 4: out.push([this.pick(['Foo', 'Tags.member.1.Key', 'Targets.member.2.Id', 'Port', 'Attributes.member.1.Value', 'DefaultActions']), this.string()]); break;
        default: if (entry) out.push([entry[0], this.string()]); break;
      }
    }
    return out;
  }
}

test('300 mutated ECS, ECR and ELBv2 requests: never a 5xx, and the emulator keeps serving', async (t) => {
  const { emulator, clients } = await startTestEmulator(t);
  const url = emulator.url;
  const prefix = uniqueName('fz');
  const cluster = `${prefix}-c`;
  const family = `${prefix}-td`;
  await clients.ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  // The image is never pushed, so no mutated service can start a process.
  const container = {
    name: 'app', image: `${prefix}-missing:v1`, memory: 128, essential: true, stopTimeout: 2,
    portMappings: [{ containerPort: 8080, protocol: 'tcp' as const }],
    environment: [{ name: 'MODE', value: 'fuzz' }],
    healthCheck: { command: ['CMD-SHELL', 'true'], interval: 5, retries: 2 },
    dependsOn: [{ containerName: 'init', condition: 'SUCCESS' as const }],
  };
  const init = { name: 'init', image: `${prefix}-missing:v1`, memory: 64, essential: false, command: ['true'] };
  const td = await clients.ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [init, container] }));
  const tdArn = td.taskDefinition?.taskDefinitionArn ?? '';
  await clients.ecr.send(new CreateRepositoryCommand({ repositoryName: `${prefix}-repo` }));
  const lb = await clients.elbv2.send(new CreateLoadBalancerCommand({ Name: `${prefix}-lb`, Subnets: ['subnet-a'] }));
  const lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn ?? '';
  const tg = await clients.elbv2.send(new CreateTargetGroupCommand({ Name: `${prefix}-tg`, Protocol: 'HTTP', Port: 8080, TargetType: 'ip', VpcId: 'vpc-local' }));
  const tgArn = tg.TargetGroups?.[0]?.TargetGroupArn ?? '';
  const listener = await clients.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Protocol: 'HTTP', Port: await freePort(), DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }));
  const listenerArn = listener.Listeners?.[0]?.ListenerArn ?? '';
  const base = `${prefix}-svc`;
  await clients.ecs.send(new CreateServiceCommand({
    cluster, serviceName: base, taskDefinition: tdArn, desiredCount: 0,
    loadBalancers: [{ targetGroupArn: tgArn, containerName: 'app', containerPort: 8080 }],
  }));

  type Request = { kind: 'json'; target: string; body: Json } | { kind: 'query'; params: Array<[string, string]> };
  const json = (service: string, operation: string, body: Json): Request => ({ kind: 'json', target: `${service}.${operation}`, body });
  const query = (action: string, params: Array<[string, string]>): Request => ({ kind: 'query', params: [['Action', action], ['Version', ELB_VERSION], ...params] });
  /** Valid requests, fresh names per call so creates get past "already exists". */
  const valid: Array<(i: number) => Request> = [
    (i) => json(ECS, 'CreateCluster', { clusterName: `${prefix}-c${i}`, tags: [{ key: 'k', value: 'v' }] }),
    () => json(ECS, 'RegisterTaskDefinition', { family, networkMode: 'awsvpc', cpu: '256', memory: '512', requiresCompatibilities: ['FARGATE'], containerDefinitions: [init, container], tags: [{ key: 'k', value: 'v' }] }),
    (i) => json(ECS, 'CreateService', {
      cluster, serviceName: `${base}${i}`, taskDefinition: tdArn, desiredCount: 0, launchType: 'FARGATE',
      deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: true, rollback: true } },
      loadBalancers: [{ targetGroupArn: tgArn, containerName: 'app', containerPort: 8080 }], healthCheckGracePeriodSeconds: 5,
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a'], assignPublicIp: 'DISABLED' } }, tags: [{ key: 'k', value: 'v' }],
    }),
    () => json(ECS, 'UpdateService', { cluster, service: base, desiredCount: 0, taskDefinition: tdArn, forceNewDeployment: false, deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50 } }),
    () => json(ECS, 'DescribeServices', { cluster, services: [base], include: ['TAGS'] }),
    () => json(ECS, 'ListTasks', { cluster, serviceName: base, desiredStatus: 'STOPPED', maxResults: 10 }),
    () => json(ECS, 'DescribeTasks', { cluster, tasks: ['0123456789abcdef0123456789abcdef'] }),
    () => json(ECS, 'DescribeTaskDefinition', { taskDefinition: `${family}:1`, include: ['TAGS'] }),
    () => json(ECS, 'ListServiceDeployments', { cluster, service: base, status: ['SUCCESSFUL'], createdAt: { after: 0, before: 4102444800 } }),
    () => json(ECS, 'TagResource', { resourceArn: tdArn, tags: [{ key: 'a', value: 'b' }] }),
    () => json(ECS, 'UntagResource', { resourceArn: tdArn, tagKeys: ['a'] }),
    () => json(ECS, 'ListTaskDefinitions', { familyPrefix: family, status: 'ACTIVE', sort: 'DESC', maxResults: 5 }),
    (i) => json(ECR, 'PutImage', {
      repositoryName: `${prefix}-repo`, imageTag: `t${i}`,
      imageManifest: JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', n: i }),
    }),
    () => json(ECR, 'DescribeImages', { repositoryName: `${prefix}-repo`, imageIds: [{ imageTag: 't1' }], filter: { tagStatus: 'TAGGED' }, maxResults: 5 }),
    () => json(ECR, 'BatchGetImage', { repositoryName: `${prefix}-repo`, imageIds: [{ imageTag: 't1' }, { imageDigest: 'sha256:00' }] }),
    () => json(ECR, 'ListImages', { repositoryName: `${prefix}-repo`, filter: { tagStatus: 'ANY' } }),
    (i) => json(ECR, 'CreateRepository', { repositoryName: `${prefix}-repo${i}`, imageTagMutability: 'MUTABLE', tags: [{ Key: 'k', Value: 'v' }] }),
    (i) => query('CreateTargetGroup', [
      ['Name', `fz${i}-${process.pid}`], ['Protocol', 'HTTP'], ['Port', '8080'], ['VpcId', 'vpc-local'], ['TargetType', 'ip'],
      ['HealthCheckPath', '/health'], ['HealthCheckIntervalSeconds', '5'], ['HealthCheckTimeoutSeconds', '2'], ['Matcher.HttpCode', '200-299'],
      ['Tags.member.1.Key', 'k'], ['Tags.member.1.Value', 'v'],
    ]),
    (i) => query('CreateLoadBalancer', [['Name', `fz${i}-${process.pid}`], ['Type', 'application'], ['Subnets.member.1', 'subnet-a'], ['Tags.member.1.Key', 'k'], ['Tags.member.1.Value', 'v']]),
    () => query('RegisterTargets', [['TargetGroupArn', tgArn], ['Targets.member.1.Id', '127.0.0.1'], ['Targets.member.1.Port', '1'], ['Targets.member.2.Id', '127.0.0.2']]),
    () => query('DeregisterTargets', [['TargetGroupArn', tgArn], ['Targets.member.1.Id', '127.0.0.1'], ['Targets.member.1.Port', '1']]),
    () => query('DescribeTargetHealth', [['TargetGroupArn', tgArn], ['Targets.member.1.Id', '127.0.0.2']]),
    () => query('ModifyTargetGroupAttributes', [['TargetGroupArn', tgArn], ['Attributes.member.1.Key', 'deregistration_delay.timeout_seconds'], ['Attributes.member.1.Value', '0']]),
    () => query('ModifyTargetGroup', [['TargetGroupArn', tgArn], ['HealthCheckIntervalSeconds', '6'], ['HealthCheckEnabled', 'true'], ['Matcher.HttpCode', '200']]),
    () => query('ModifyListener', [
      ['ListenerArn', listenerArn], ['DefaultActions.member.1.Type', 'forward'],
      ['DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn', tgArn], ['DefaultActions.member.1.ForwardConfig.TargetGroups.member.1.Weight', '5'],
      ['DefaultActions.member.1.ForwardConfig.TargetGroupStickinessConfig.Enabled', 'false'],
    ]),
    () => query('DescribeTargetGroups', [['LoadBalancerArn', lbArn], ['PageSize', '5']]),
    () => query('DescribeLoadBalancers', [['Names.member.1', `${prefix}-lb`], ['PageSize', '2']]),
    () => query('DescribeListeners', [['LoadBalancerArn', lbArn]]),
    () => query('AddTags', [['ResourceArns.member.1', tgArn], ['Tags.member.1.Key', 'a'], ['Tags.member.1.Value', 'b']]),
    () => query('DescribeTags', [['ResourceArns.member.1', lbArn], ['ResourceArns.member.2', tgArn]]),
  ];

  const mutate = new Mutator(random(0x5eed));
  const statuses = new Map<number, number>();
  for (let i = 0; i < 300; i += 1) {
    const request = mutate.pick(valid)(i);
    let answer: Answer;
    let shown: string;
    if (request.kind === 'json') {
      const body = JSON.stringify(mutate.json(request.body));
      shown = `#${i} ${request.target} ${body}`;
      answer = await postJson(url, request.target, body);
    } else {
      const params = mutate.query(request.params);
      shown = `#${i} ${new URLSearchParams(params).toString()}`;
      answer = await postQuery(url, params);
    }
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    assert.ok(answer.status === 200 || (answer.status >= 400 && answer.status < 500), `${shown}\n-> ${answer.status} ${answer.body.slice(0, 500)}`);
    if (answer.status !== 200) {
      const error = errorOf(answer, request.kind === 'json' ? 'json' : 'xml');
      assert.ok(error.message.length > 0, `${shown}: an error with no message`);
    }
  }
  // The mix is a real test only if both outcomes happen often.
  assert.ok((statuses.get(200) ?? 0) >= 20, `few successes: ${JSON.stringify([...statuses])}`);
  assert.ok((statuses.get(400) ?? 0) >= 100, `few rejections: ${JSON.stringify([...statuses])}`);
  await assertStillServes(url, clients);
});
