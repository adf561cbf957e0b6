import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { clientEnv, missing, run } from '../support/third-party.js';
import { gzipSync } from 'node:zlib';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { Emulator } from '../../src/emulator/index.js';
import { decodeCbor, encodeCbor } from '../../src/emulator/protocol/cbor.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

/**
 * CloudWatch answers every protocol its clients speak: awsJson 1.0 (SDK v3,
 * and boto3 and the AWS CLI by default), rpc-v2-cbor and awsQuery. boto3 and
 * the AWS CLI pick among the protocols their CloudWatch model lists; each
 * test gives them a copy of that model listing one protocol (AWS_DATA_PATH),
 * so the request really goes over it, and checks that it did.
 */

const SERVICE = 'GraniteServiceVersion20100801';
const NAMESPACE = 'http://monitoring.amazonaws.com/doc/2010-08-01/';

function cloudWatch(t: { after: (fn: () => void) => void }, emulator: Emulator): CloudWatchClient {
  const client = new CloudWatchClient({ endpoint: emulator.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(() => client.destroy());
  return client;
}

/** True when the emulator serves PutMetricData and GetMetricData (they arrive with the metrics work). */
async function servesMetrics(client: CloudWatchClient): Promise<boolean> {
  try {
    await client.send(new PutMetricDataCommand({ Namespace: 'Probe', MetricData: [] }));
    return true;
  } catch (err) {
    return (err as Error).name !== 'UnsupportedOperation';
  }
}

async function rpcV2(emulator: Emulator, operation: string, input: unknown, headers: Record<string, string> = {}) {
  const body = input === undefined ? undefined : Buffer.from(encodeCbor(input));
  const res = await fetch(`${emulator.url}/service/${SERVICE}/operation/${operation}`, {
    method: 'POST',
    headers: { 'smithy-protocol': 'rpc-v2-cbor', accept: 'application/cbor', ...(body ? { 'content-type': 'application/cbor' } : {}), ...headers },
    body,
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, value: bytes.length > 0 ? (decodeCbor(bytes) as Record<string, unknown>) : undefined };
}

async function query(emulator: Emulator, params: Record<string, string>) {
  const res = await fetch(`${emulator.url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Version: '2010-08-01', ...params }).toString(),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

test('rpc-v2-cbor: CBOR in and out, empty bodies for empty inputs and Unit outputs, errors by shape id', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const client = cloudWatch(t, emulator);
  const name = uniqueName('cbor-alarm');

  const put = await rpcV2(emulator, 'PutMetricAlarm', {
    AlarmName: name, MetricName: 'CPUUtilization', Namespace: 'AWS/ECS', Statistic: 'Average', Period: 60,
    EvaluationPeriods: 2, Threshold: 80.5, ComparisonOperator: 'GreaterThanThreshold', Dimensions: [{ Name: 'ServiceName', Value: 'web' }],
    // With no data and missing data ignored, evaluation keeps what SetAlarmState sets below.
    TreatMissingData: 'ignore',
  });
  assert.equal(put.status, 200);
  assert.equal(put.headers.get('smithy-protocol'), 'rpc-v2-cbor');
  assert.equal(put.bytes.length, 0, 'PutMetricAlarm returns Unit: no body');
  assert.equal(put.headers.get('content-type'), null);

  const all = await rpcV2(emulator, 'DescribeAlarms', undefined);
  assert.equal(all.status, 200);
  assert.equal(all.headers.get('content-type'), 'application/cbor');
  const alarm = (all.value?.MetricAlarms as Array<Record<string, unknown>>).find((a) => a.AlarmName === name);
  assert.ok(alarm, 'the alarm is described');
  assert.equal(alarm.Threshold, 80.5);
  assert.equal(alarm.EvaluationPeriods, 2);
  assert.ok(alarm.StateUpdatedTimestamp instanceof Date, 'timestamps arrive as CBOR tag 1');

  const missing = await rpcV2(emulator, 'SetAlarmState', { AlarmName: `${name}-missing`, StateValue: 'ALARM', StateReason: 'x' });
  assert.equal(missing.status, 404);
  assert.deepEqual(missing.value, { __type: 'com.amazonaws.cloudwatch#ResourceNotFound', message: `Alarm ${name}-missing not found` });
  assert.equal(missing.headers.get('x-amzn-query-error'), 'ResourceNotFound;Sender');

  const invalid = await rpcV2(emulator, 'PutMetricAlarm', { AlarmName: name, EvaluationPeriods: 1, ComparisonOperator: 'GreaterThanThreshold' });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.value?.__type, 'com.amazonaws.cloudwatch#InvalidParameterValueException');
  assert.equal(invalid.headers.get('x-amzn-query-error'), 'InvalidParameterValue;Sender');

  // A gzip-encoded body (the requestCompression trait) is read like any other.
  const gzipped = await fetch(`${emulator.url}/service/${SERVICE}/operation/SetAlarmState`, {
    method: 'POST',
    headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', 'content-encoding': 'gzip' },
    body: gzipSync(encodeCbor({ AlarmName: name, StateValue: 'ALARM', StateReason: 'compressed' })),
  });
  assert.equal(gzipped.status, 200, await gzipped.text());
  const seen = await client.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  assert.equal(seen.MetricAlarms?.[0]?.StateReason, 'compressed', 'awsJson sees what rpc-v2-cbor wrote');

  const cases: Array<{ what: string; path?: string; headers?: Record<string, string>; body?: Uint8Array; status: number; type: RegExp }> = [
    { what: 'an unknown service', path: '/service/NoSuchService/operation/DescribeAlarms', status: 404, type: /^UnknownOperationException$/ },
    { what: 'an operation not emulated', path: `/service/${SERVICE}/operation/PutDashboard`, status: 400, type: /#UnsupportedOperation$/ },
    { what: 'an X-Amz-Target header', headers: { 'x-amz-target': `${SERVICE}.DescribeAlarms` }, status: 400, type: /#SerializationException$/ },
    { what: 'a body that is not CBOR', body: Uint8Array.from([0x83, 0x01]), status: 400, type: /#SerializationException$/ },
    { what: 'a body that is a CBOR array', body: encodeCbor([]), status: 400, type: /#SerializationException$/ },
    { what: 'a gzip body that is not gzip', headers: { 'content-encoding': 'gzip' }, body: encodeCbor({}), status: 400, type: /#SerializationException$/ },
    { what: 'an unsupported content encoding', headers: { 'content-encoding': 'br' }, body: encodeCbor({}), status: 415, type: /#SerializationException$/ },
    {
      what: 'a gzip body over 10 MiB once inflated',
      headers: { 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.alloc(11 * 1024 * 1024)),
      status: 413,
      type: /#RequestEntityTooLarge$/,
    },
  ];
  for (const c of cases) {
    const res = await fetch(`${emulator.url}${c.path ?? `/service/${SERVICE}/operation/DescribeAlarms`}`, {
      method: 'POST',
      headers: { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', ...c.headers },
      body: c.body ? Buffer.from(c.body) : undefined,
    });
    const value = decodeCbor(new Uint8Array(await res.arrayBuffer())) as { __type: string; message: string };
    assert.equal(res.status, c.status, `${c.what}: ${value.message}`);
    assert.equal(res.headers.get('smithy-protocol'), 'rpc-v2-cbor', c.what);
    assert.match(value.__type, c.type, c.what);
    assert.equal(typeof value.message, 'string', c.what);
  }
  // Without the smithy-protocol header the path is not an rpc-v2-cbor request.
  const unclaimed = await fetch(`${emulator.url}/service/${SERVICE}/operation/DescribeAlarms`, { method: 'POST' });
  assert.equal(unclaimed.status, 404);
  assert.match(await unclaimed.text(), /smithy-protocol: rpc-v2-cbor/);
  assert.ok((emulator.callLog.stats().operations['CloudWatch.DescribeAlarms'] ?? 0) >= 2);
});

test('awsQuery: nested members typed from text, XML in the monitoring namespace, Unit outputs with no Result', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const client = cloudWatch(t, emulator);
  const name = uniqueName('query-alarm');

  const put = await query(emulator, {
    Action: 'PutMetricAlarm',
    AlarmName: name,
    EvaluationPeriods: '3',
    DatapointsToAlarm: '2',
    Threshold: '0.25',
    ComparisonOperator: 'GreaterThanThreshold',
    ActionsEnabled: 'false',
    TreatMissingData: 'notBreaching',
    'Metrics.member.1.Id': 'errors',
    'Metrics.member.1.ReturnData': 'false',
    'Metrics.member.1.MetricStat.Period': '60',
    'Metrics.member.1.MetricStat.Stat': 'Sum',
    'Metrics.member.1.MetricStat.Metric.Namespace': 'AWS/ApplicationELB',
    'Metrics.member.1.MetricStat.Metric.MetricName': 'HTTPCode_Target_5XX_Count',
    'Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'TargetGroup',
    'Metrics.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'targetgroup/green/1',
    'Metrics.member.2.Id': 'rate',
    'Metrics.member.2.Expression': 'errors / 60',
    'Metrics.member.2.ReturnData': 'true',
    AlarmActions: '',
  });
  assert.equal(put.status, 200, put.text);
  assert.match(put.text, new RegExp(`^<\\?xml version="1.0" encoding="UTF-8"\\?>\\n<PutMetricAlarmResponse xmlns="${NAMESPACE}"><ResponseMetadata><RequestId>[^<]+</RequestId></ResponseMetadata></PutMetricAlarmResponse>$`));

  // The SDK v3 (awsJson) reads back numbers and booleans, not the text that was sent.
  const [alarm] = (await client.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms ?? [];
  assert.equal(alarm?.EvaluationPeriods, 3);
  assert.equal(alarm?.DatapointsToAlarm, 2);
  assert.equal(alarm?.Threshold, 0.25);
  assert.equal(alarm?.ActionsEnabled, false);
  assert.deepEqual(alarm?.AlarmActions, []);
  assert.deepEqual(alarm?.Metrics, [
    {
      Id: 'errors',
      ReturnData: false,
      MetricStat: {
        Period: 60,
        Stat: 'Sum',
        Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'HTTPCode_Target_5XX_Count', Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/green/1' }] },
      },
    },
    { Id: 'rate', Expression: 'errors / 60', ReturnData: true },
  ]);

  const described = await query(emulator, { Action: 'DescribeAlarms', 'AlarmNames.member.1': name });
  assert.equal(described.status, 200);
  assert.match(described.text, new RegExp(`<DescribeAlarmsResponse xmlns="${NAMESPACE}"><DescribeAlarmsResult><MetricAlarms><member><AlarmName>${name}</AlarmName>`));
  assert.match(described.text, /<Threshold>0.25<\/Threshold>/);
  assert.match(described.text, /<StateUpdatedTimestamp>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/StateUpdatedTimestamp>/);
  assert.match(described.text, /<Dimensions><member><Name>TargetGroup<\/Name><Value>targetgroup\/green\/1<\/Value><\/member><\/Dimensions>/);

  const missing = await query(emulator, { Action: 'DeleteAlarms', 'AlarmNames.member.1': `${name}-missing` });
  assert.equal(missing.status, 404);
  assert.match(missing.text, new RegExp(`<ErrorResponse xmlns="${NAMESPACE}"><Error><Type>Sender</Type><Code>ResourceNotFound</Code>`));

  const typo = await query(emulator, { Action: 'DescribeAlarms', MaxRecords: 'ten' });
  assert.equal(typo.status, 400);
  assert.match(typo.text, /<Code>InvalidParameterValue<\/Code><Message>The value &#34;ten&#34; of parameter MaxRecords is not a number.<\/Message>/);
});


/**
 * A folder for AWS_DATA_PATH holding botocore's CloudWatch model with only
 * `protocol` listed, so boto3 and the AWS CLI (which pick awsJson first) speak it.
 */
async function modelSpeaking(t: { after: (fn: () => Promise<void>) => void }, protocol: 'smithy-rpc-v2-cbor' | 'query'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cw-model-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const script = `
import botocore, gzip, json, os, sys
src = os.path.join(os.path.dirname(botocore.__file__), 'data', 'cloudwatch', '2010-08-01', 'service-2.json.gz')
with gzip.open(src) as f:
    model = json.load(f)
model['metadata']['protocols'] = [sys.argv[2]]
model['metadata']['protocol'] = sys.argv[2]
dest = os.path.join(sys.argv[1], 'cloudwatch', '2010-08-01')
os.makedirs(dest)
with open(os.path.join(dest, 'service-2.json'), 'w') as f:
    json.dump(model, f)
`;
  await run('python3', ['-c', script, dir, protocol], { timeout: 20_000 });
  return dir;
}

/** Alarms here ignore missing data, so evaluation (which finds no data) keeps the state SetAlarmState sets. */
const BOTO3_SCRIPT = `
import boto3, datetime, json, sys
name, with_metrics = sys.argv[1], sys.argv[2] == '1'
cw = boto3.client('cloudwatch')
out = {'protocol': cw.meta.service_model.resolved_protocol}
headers = lambda r: {k: r['ResponseMetadata']['HTTPHeaders'].get(k) for k in ('smithy-protocol', 'content-type')}
r = cw.put_metric_alarm(AlarmName=name, MetricName='CPUUtilization', Namespace='AWS/ECS', Statistic='Average', Period=60,
    EvaluationPeriods=2, Threshold=80.5, ComparisonOperator='GreaterThanThreshold', ActionsEnabled=False, TreatMissingData='ignore',
    Dimensions=[{'Name': 'ServiceName', 'Value': 'web'}, {'Name': 'ClusterName', 'Value': 'prod'}])
out['put'] = headers(r)
r = cw.describe_alarms(AlarmNames=[name])
a = r['MetricAlarms'][0]
out['describe'] = headers(r)
out['alarm'] = {'Threshold': a['Threshold'], 'EvaluationPeriods': a['EvaluationPeriods'], 'ActionsEnabled': a['ActionsEnabled'],
    'Dimensions': a['Dimensions'], 'StateValue': a['StateValue'], 'timestamp': isinstance(a['StateUpdatedTimestamp'], datetime.datetime)}
cw.set_alarm_state(AlarmName=name, StateValue='ALARM', StateReason='from boto3', StateReasonData='{"k": 1}')
out['alarming'] = [x['AlarmName'] for x in cw.describe_alarms(AlarmNamePrefix=name, StateValue='ALARM')['MetricAlarms']]
try:
    cw.set_alarm_state(AlarmName=name + '-missing', StateValue='OK', StateReason='x')
except cw.exceptions.ResourceNotFound as e:
    out['missing'] = {'code': e.response['Error']['Code'], 'status': e.response['ResponseMetadata']['HTTPStatusCode'], 'message': e.response['Error']['Message']}
cw.delete_alarms(AlarmNames=[name])
out['left'] = len(cw.describe_alarms(AlarmNames=[name])['MetricAlarms'])
if with_metrics:
    now = datetime.datetime.now(datetime.timezone.utc)
    metric = {'Namespace': name, 'MetricName': 'Latency', 'Dimensions': [{'Name': 'Service', 'Value': 'web'}]}
    cw.put_metric_data(Namespace=name, MetricData=[{'MetricName': 'Latency', 'Dimensions': metric['Dimensions'], 'Values': [10.0, 20.0, 30.0], 'Counts': [1, 1, 2], 'Timestamp': now, 'Unit': 'Milliseconds'}])
    # Over 10 KiB of CBOR: botocore gzips it (PutMetricData has the requestCompression trait).
    bulk = {'Namespace': name, 'MetricName': 'Bulk'}
    cw.put_metric_data(Namespace=name, MetricData=[{'MetricName': 'Bulk', 'Values': [0.5 + i for i in range(150)], 'Timestamp': now} for _ in range(10)])
    r = cw.get_metric_data(MetricDataQueries=[{'Id': 'm1', 'MetricStat': {'Metric': metric, 'Period': 3600, 'Stat': 'Sum'}},
        {'Id': 'm2', 'MetricStat': {'Metric': bulk, 'Period': 3600, 'Stat': 'SampleCount'}}],
        StartTime=now - datetime.timedelta(hours=2), EndTime=now + datetime.timedelta(hours=2))
    results = {x['Id']: x for x in r['MetricDataResults']}
    out['metrics'] = {'values': results['m1']['Values'], 'timestamps': len(results['m1']['Timestamps']), 'bulk': results['m2']['Values'], 'headers': headers(r)}
print(json.dumps(out))
`;

test('boto3 drives CloudWatch over rpc-v2-cbor', async (t) => {
  const reason = await missing('python3', ['-c', 'import boto3'], 'python3 with boto3');
  if (reason) return t.skip(reason);
  const { emulator } = await startTestEmulator(t);
  const client = cloudWatch(t, emulator);
  const withMetrics = await servesMetrics(client);
  if (!withMetrics) t.diagnostic('PutMetricData/GetMetricData are not emulated yet: only the alarm operations are driven');
  const dataPath = await modelSpeaking(t, 'smithy-rpc-v2-cbor');
  const name = uniqueName('boto-cbor');
  const { stdout } = await run('python3', ['-c', BOTO3_SCRIPT, name, withMetrics ? '1' : '0'], { env: clientEnv(emulator.url, dataPath), timeout: 60_000 });
  const out = JSON.parse(stdout) as Record<string, unknown>;

  assert.equal(out.protocol, 'smithy-rpc-v2-cbor');
  // The answers prove the protocol on the wire: rpc-v2-cbor headers, CBOR bodies, none for Unit outputs.
  assert.deepEqual(out.put, { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': null });
  assert.deepEqual(out.describe, { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' });
  assert.deepEqual(out.alarm, {
    Threshold: 80.5,
    EvaluationPeriods: 2,
    ActionsEnabled: false,
    Dimensions: [{ Name: 'ServiceName', Value: 'web' }, { Name: 'ClusterName', Value: 'prod' }],
    StateValue: 'INSUFFICIENT_DATA',
    timestamp: true,
  });
  assert.deepEqual(out.alarming, [name]);
  assert.deepEqual(out.missing, { code: 'ResourceNotFound', status: 404, message: `Alarm ${name}-missing not found` });
  assert.equal(out.left, 0);
  if (withMetrics) {
    const metrics = out.metrics as { values: number[]; timestamps: number; bulk: number[]; headers: unknown };
    assert.deepEqual(metrics.values, [90]);
    assert.deepEqual(metrics.bulk, [1500]);
    assert.equal(metrics.timestamps, 1);
    assert.deepEqual(metrics.headers, { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor' });
  }
});

test('the AWS CLI drives CloudWatch over awsQuery, and over awsJson by default', async (t) => {
  const reason = await missing('aws', ['--version'], 'the AWS CLI');
  if (reason) return t.skip(reason);
  const { emulator } = await startTestEmulator(t);
  const client = cloudWatch(t, emulator);
  const withMetrics = await servesMetrics(client);
  if (!withMetrics) t.diagnostic('PutMetricData/GetMetricData are not emulated yet: only the alarm operations are driven');
  const queryModel = await modelSpeaking(t, 'query');
  const name = uniqueName('cli-query');
  const aws = async (dataPath: string | undefined, ...args: string[]) => {
    const { stdout, stderr } = await run('aws', ['--endpoint-url', emulator.url, '--output', 'json', 'cloudwatch', ...args], {
      env: clientEnv(emulator.url, dataPath),
      timeout: 30_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { out: JSON.parse(stdout || '{}') as Record<string, unknown>, debug: stderr };
  };

  const put = await aws(queryModel, 'put-metric-alarm', '--alarm-name', name, '--evaluation-periods', '3', '--threshold', '70.25',
    '--comparison-operator', 'GreaterThanOrEqualToThreshold', '--no-actions-enabled', '--treat-missing-data', 'ignore', '--metrics',
    JSON.stringify([
      { Id: 'cpu', ReturnData: true, MetricStat: { Period: 60, Stat: 'Average', Metric: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'ServiceName', Value: 'web' }] } } },
    ]),
    '--debug');
  // botocore's debug log shows the request it sent and the answer's headers.
  assert.match(put.debug, /'body': \{'Action': 'PutMetricAlarm', 'Version': '2010-08-01'/);
  assert.match(put.debug, /'Metrics\.member\.1\.MetricStat\.Metric\.Dimensions\.member\.1\.Name': 'ServiceName'/);
  assert.match(put.debug, /Response headers: \{'content-type': 'text\/xml'/);

  const [alarm] = (await aws(queryModel, 'describe-alarms', '--alarm-names', name)).out.MetricAlarms as Array<Record<string, unknown>>;
  assert.equal(alarm?.Threshold, 70.25);
  assert.equal(alarm?.EvaluationPeriods, 3);
  assert.equal(alarm?.ActionsEnabled, false);
  assert.deepEqual(alarm?.Metrics, [
    { Id: 'cpu', ReturnData: true, MetricStat: { Period: 60, Stat: 'Average', Metric: { Namespace: 'AWS/ECS', MetricName: 'CPUUtilization', Dimensions: [{ Name: 'ServiceName', Value: 'web' }] } } },
  ]);

  await aws(queryModel, 'set-alarm-state', '--alarm-name', name, '--state-value', 'ALARM', '--state-reason', 'from the AWS CLI');
  await assert.rejects(aws(queryModel, 'delete-alarms', '--alarm-names', `${name}-missing`), /ResourceNotFound/);

  // Without a model override the AWS CLI speaks awsJson 1.0 and sees the same alarm.
  const byJson = await aws(undefined, 'describe-alarms', '--alarm-names', name, '--state-value', 'ALARM', '--debug');
  assert.match(byJson.debug, /'X-Amz-Target': 'GraniteServiceVersion20100801\.DescribeAlarms'/);
  assert.deepEqual((byJson.out.MetricAlarms as Array<Record<string, unknown>>).map((a) => [a.AlarmName, a.StateReason]), [[name, 'from the AWS CLI']]);

  await aws(queryModel, 'delete-alarms', '--alarm-names', name);
  assert.deepEqual((await client.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms, []);

  if (withMetrics) {
    const at = new Date(emulator.clock.now()).toISOString();
    const metric = { Namespace: name, MetricName: 'Requests', Dimensions: [{ Name: 'Service', Value: 'web' }] };
    await aws(queryModel, 'put-metric-data', '--namespace', name, '--metric-data',
      JSON.stringify([{ MetricName: 'Requests', Dimensions: metric.Dimensions, Timestamp: at, Values: [1, 2], Counts: [3, 1], Unit: 'Count' }]));
    const start = new Date(emulator.clock.now() - 2 * 3600_000).toISOString();
    const end = new Date(emulator.clock.now() + 2 * 3600_000).toISOString();
    const data = await aws(queryModel, 'get-metric-data', '--start-time', start, '--end-time', end, '--metric-data-queries',
      JSON.stringify([{ Id: 'm1', MetricStat: { Metric: metric, Period: 3600, Stat: 'Sum' } }]));
    const [result] = data.out.MetricDataResults as Array<{ Values: number[]; Timestamps: string[] }>;
    assert.deepEqual(result?.Values, [5]);
    assert.equal(result?.Timestamps.length, 1);
  }
});
