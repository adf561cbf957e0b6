import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as cloudWatchSchemas from '@aws-sdk/client-cloudwatch';
import { AwsError } from '../../src/emulator/errors.js';
import { decodeQueryBody } from '../../src/emulator/protocol/query.js';
import { shapedXml, typeQueryInput } from '../../src/emulator/protocol/query-shapes.js';
import { modelFromSdkSchemas, type Shape } from '../../src/emulator/protocol/smithy-model.js';

const model = modelFromSdkSchemas(cloudWatchSchemas);

function inputOf(operation: string): Shape {
  const shape = model.input(operation);
  assert.ok(shape, `${operation} is in the CloudWatch model`);
  return shape;
}

/** Decodes an awsQuery form as the front door does, then types it by the operation's input shape. */
function typedQuery(operation: string, params: Record<string, string>): Record<string, unknown> {
  const body = new URLSearchParams({ Action: operation, Version: '2010-08-01', ...params }).toString();
  return typeQueryInput(decodeQueryBody(body).params, inputOf(operation));
}

test('the CloudWatch model gives every operation its input and output shapes', () => {
  assert.equal(model.namespace, 'com.amazonaws.cloudwatch');
  const input = inputOf('PutMetricAlarm');
  assert.equal(input.type, 'structure');
  if (input.type !== 'structure') return;
  assert.ok(input.memberNames.includes('Threshold'));
  assert.equal(input.member('Threshold')?.type, 'number');
  assert.equal(input.member('ActionsEnabled')?.type, 'boolean');
  assert.equal(input.member('Dimensions')?.type, 'list');
  assert.equal(input.member('NoSuchMember'), undefined);
  assert.equal(model.output('PutMetricAlarm')?.type, 'unit');
  assert.equal(model.output('DescribeAlarms')?.type, 'structure');
  assert.equal(model.input('NoSuchOperation'), undefined);
});

test('errors are named by shape id, from the shape name or the awsQuery code thrown', () => {
  assert.equal(model.errorShapeId('InvalidParameterValue'), 'com.amazonaws.cloudwatch#InvalidParameterValueException');
  assert.equal(model.errorShapeId('MissingParameter'), 'com.amazonaws.cloudwatch#MissingRequiredParameterException');
  // Two shapes share the awsQuery code ResourceNotFound; the one of that name wins.
  assert.equal(model.errorShapeId('ResourceNotFound'), 'com.amazonaws.cloudwatch#ResourceNotFound');
  assert.equal(model.errorShapeId('ValidationError'), 'com.amazonaws.cloudwatch#ValidationException');
  assert.equal(model.errorShapeId('UnsupportedOperation'), 'com.amazonaws.cloudwatch#UnsupportedOperation');
});

test('awsQuery text becomes the numbers, booleans, timestamps and lists the input shape declares', () => {
  assert.deepEqual(
    typedQuery('PutMetricAlarm', {
      AlarmName: 'cpu',
      Threshold: '80.5',
      EvaluationPeriods: '3',
      ActionsEnabled: 'false',
      'Dimensions.member.1.Name': 'ServiceName',
      'Dimensions.member.1.Value': 'web',
      'AlarmActions.member.1': 'arn:aws:sns:us-east-1:000000000000:t',
      OKActions: '',
    }),
    {
      AlarmName: 'cpu',
      Threshold: 80.5,
      EvaluationPeriods: 3,
      ActionsEnabled: false,
      Dimensions: [{ Name: 'ServiceName', Value: 'web' }],
      AlarmActions: ['arn:aws:sns:us-east-1:000000000000:t'],
      OKActions: [],
    },
  );
});

test('nested awsQuery structures and lists are typed all the way down', () => {
  assert.deepEqual(
    typedQuery('PutMetricData', {
      Namespace: 'App',
      'MetricData.member.1.MetricName': 'Latency',
      'MetricData.member.1.Timestamp': '2026-01-02T03:04:05.250Z',
      'MetricData.member.1.Values.member.1': '1.5',
      'MetricData.member.1.Values.member.2': '-2',
      'MetricData.member.1.Counts.member.1': '3',
      'MetricData.member.1.Counts.member.2': '1',
      'MetricData.member.1.StatisticValues.SampleCount': '4',
      'MetricData.member.1.Dimensions.member.1.Name': 'a',
      'MetricData.member.1.Dimensions.member.1.Value': '007',
      'MetricData.member.2.MetricName': 'Errors',
      'MetricData.member.2.Value': '1e3',
      'MetricData.member.2.Timestamp': '1767323045',
      StrictEntityValidation: 'TRUE',
    }),
    {
      Namespace: 'App',
      MetricData: [
        {
          MetricName: 'Latency',
          Timestamp: Date.UTC(2026, 0, 2, 3, 4, 5, 250) / 1000,
          Values: [1.5, -2],
          Counts: [3, 1],
          StatisticValues: { SampleCount: 4 },
          Dimensions: [{ Name: 'a', Value: '007' }],
        },
        { MetricName: 'Errors', Value: 1000, Timestamp: 1767323045 },
      ],
      StrictEntityValidation: true,
    },
  );
  assert.deepEqual(
    typedQuery('GetMetricData', {
      StartTime: '2026-01-02T00:00:00Z',
      EndTime: '2026-01-02T01:00:00Z',
      MaxDatapoints: '100',
      'MetricDataQueries.member.1.Id': 'm1',
      'MetricDataQueries.member.1.ReturnData': 'true',
      'MetricDataQueries.member.1.MetricStat.Period': '60',
      'MetricDataQueries.member.1.MetricStat.Stat': 'p99',
      'MetricDataQueries.member.1.MetricStat.Metric.Namespace': 'AWS/ApplicationELB',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name': 'TargetGroup',
      'MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value': 'targetgroup/tg/1',
      'LabelOptions.Timezone': '+0130',
    }),
    {
      StartTime: Date.UTC(2026, 0, 2) / 1000,
      EndTime: Date.UTC(2026, 0, 2, 1) / 1000,
      MaxDatapoints: 100,
      MetricDataQueries: [
        {
          Id: 'm1',
          ReturnData: true,
          MetricStat: {
            Period: 60,
            Stat: 'p99',
            Metric: { Namespace: 'AWS/ApplicationELB', Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/tg/1' }] },
          },
        },
      ],
      LabelOptions: { Timezone: '+0130' },
    },
  );
});

test('text that is not of the declared type is refused with the parameter named', () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['PutMetricAlarm', { Threshold: 'eighty' }, /"eighty" of parameter Threshold is not a number/],
    ['PutMetricAlarm', { ActionsEnabled: 'yes' }, /"yes" of parameter ActionsEnabled is not a boolean/],
    ['PutMetricData', { 'MetricData.member.1.Timestamp': 'yesterday' }, /parameter MetricData\.member\.1\.Timestamp is not a timestamp/],
    ['PutMetricData', { 'MetricData.member.1.Values.member.1': '2', 'MetricData.member.1.Values.member.2': '1,5' }, /MetricData\.member\.1\.Values\.member\.2 is not a number/],
    ['PutMetricAlarm', { 'Threshold.member.1': '1' }, /parameter Threshold is not a single value/],
    ['PutMetricAlarm', { 'Dimensions.Name': 'x' }, /parameter Dimensions is not a list/],
  ];
  for (const [operation, params, message] of cases) {
    assert.throws(
      () => typedQuery(operation, params),
      (err: unknown) => err instanceof AwsError && err.code === 'InvalidParameterValue' && message.test(err.message),
      JSON.stringify(params),
    );
  }
});

test('members the model does not know are passed on as text', () => {
  assert.deepEqual(typedQuery('DescribeAlarms', { MaxRecords: '5', Future: '1' }), { MaxRecords: 5, Future: '1' });
});

test('XML output follows the output shape: member lists, entry maps, ISO timestamps', () => {
  const describe = model.output('DescribeAlarms');
  const at = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  assert.equal(
    shapedXml({ MetricAlarms: [{ AlarmName: 'a<b', Threshold: 80.5, ActionsEnabled: true, StateUpdatedTimestamp: at, OKActions: [], Dimensions: [{ Name: 'n', Value: 'v' }] }], NextToken: undefined }, describe),
    '<MetricAlarms><member><AlarmName>a&#60;b</AlarmName><Threshold>80.5</Threshold><ActionsEnabled>true</ActionsEnabled>' +
      '<StateUpdatedTimestamp>2026-01-02T03:04:05.000Z</StateUpdatedTimestamp><OKActions></OKActions>' +
      '<Dimensions><member><Name>n</Name><Value>v</Value></member></Dimensions></member></MetricAlarms>',
  );
  const data = model.output('GetMetricData');
  assert.equal(
    shapedXml({ MetricDataResults: [{ Id: 'm1', Timestamps: [at.getTime() / 1000], Values: [1.5] }] }, data),
    '<MetricDataResults><member><Id>m1</Id><Timestamps><member>2026-01-02T03:04:05.000Z</member></Timestamps><Values><member>1.5</member></Values></member></MetricDataResults>',
  );
  const map: Shape = { type: 'map', value: () => ({ type: 'string' }) };
  assert.equal(shapedXml({ k1: 'v1', 'k&2': 'v2' }, map), '<entry><key>k1</key><value>v1</value></entry><entry><key>k&#38;2</key><value>v2</value></entry>');
});
