import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AwsError } from '../../src/emulator/errors.js';
import { decodeCbor, encodeCbor } from '../../src/emulator/protocol/cbor.js';
import { decodeRpcV2Body, encodeRpcV2Error, encodeRpcV2Output, parseRpcV2Path } from '../../src/emulator/protocol/rpc-v2-cbor.js';

test('rpc-v2 paths name a service and an operation; a prefix and an absolute service id are accepted', () => {
  const op = { service: 'GraniteServiceVersion20100801', operation: 'DescribeAlarms' };
  assert.deepEqual(parseRpcV2Path('/service/GraniteServiceVersion20100801/operation/DescribeAlarms'), op);
  assert.deepEqual(parseRpcV2Path('/v1/service/GraniteServiceVersion20100801/operation/DescribeAlarms'), op);
  assert.deepEqual(parseRpcV2Path('/service/com.amazonaws.cloudwatch.GraniteServiceVersion20100801/operation/DescribeAlarms'), op);
  for (const path of ['/', '/service/X', '/service/X/operation', '/services/X/operation/Y', '/service/X/operations/Y', '/service/%E0/operation/Y']) {
    assert.equal(parseRpcV2Path(path), undefined, path);
  }
});

test('request bodies become awsJson values: epoch seconds, base64 blobs, null members left out', () => {
  const body = encodeCbor({
    AlarmName: 'cpu',
    Threshold: 80.5,
    StartTime: new Date(1767323045250),
    Payload: new Uint8Array([1, 2, 3]),
    Gone: null,
    Nested: [{ Name: 'a', Value: null }, null],
  });
  assert.deepEqual(decodeRpcV2Body(body), {
    AlarmName: 'cpu',
    Threshold: 80.5,
    StartTime: 1767323045.25,
    Payload: 'AQID',
    Nested: [{ Name: 'a' }, null],
  });
  assert.deepEqual(decodeRpcV2Body(new Uint8Array()), {});
});

test('bodies that are not a CBOR map, or hold what the protocol has no use for, are SerializationExceptions', () => {
  const cases: Array<[Uint8Array, RegExp]> = [
    [Uint8Array.from([0x83, 0x01]), /not valid CBOR/],
    [encodeCbor([1, 2]), /must be a CBOR map/],
    [encodeCbor('text'), /must be a CBOR map/],
    [encodeCbor(new Date(0)), /must be a CBOR map/],
    [encodeCbor({ n: 2n ** 64n + 1n }), /input\.n: integers beyond 2\^53/],
    [Uint8Array.from([0xa1, 0x61, 0x78, 0xd8, 0x25, 0x01]), /input\.x: CBOR tag 37/],
  ];
  for (const [body, message] of cases) {
    assert.throws(
      () => decodeRpcV2Body(body),
      (err: unknown) => err instanceof AwsError && err.code === 'SerializationException' && message.test(err.message),
      Buffer.from(body).toString('hex'),
    );
  }
});

test('outputs leave out null members and write Dates as tag 1; errors carry __type and message', () => {
  const at = new Date(1767323045000);
  const output = encodeRpcV2Output({ MetricAlarms: [{ AlarmName: 'a', StateUpdatedTimestamp: at, AlarmDescription: undefined, Unit: null }], NextToken: undefined });
  assert.deepEqual(decodeCbor(output), { MetricAlarms: [{ AlarmName: 'a', StateUpdatedTimestamp: at }] });
  assert.deepEqual(decodeCbor(encodeRpcV2Output(undefined)), {});
  const error = encodeRpcV2Error(new AwsError('ResourceNotFound', 'Alarm x not found', { status: 404 }), 'com.amazonaws.cloudwatch#ResourceNotFound');
  assert.deepEqual(decodeCbor(error), { __type: 'com.amazonaws.cloudwatch#ResourceNotFound', message: 'Alarm x not found' });
});
