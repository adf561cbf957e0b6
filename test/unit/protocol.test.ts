import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeJsonBody } from '../../src/emulator/protocol/json.js';
import { decodeQueryBody, toXml } from '../../src/emulator/protocol/query.js';
import { parseAuthorization } from '../../src/emulator/request-context.js';

test('awsQuery bodies decode lists, nested members and maps', () => {
  const body = new URLSearchParams({
    Action: 'RegisterTargets',
    Version: '2015-12-01',
    TargetGroupArn: 'arn:tg',
    'Targets.member.2.Id': 'b',
    'Targets.member.1.Id': 'a',
    'Targets.member.1.Port': '80',
    'Tags.entry.1.key': 'team',
    'Tags.entry.1.value': 'web',
  }).toString();
  const decoded = decodeQueryBody(body);
  assert.equal(decoded.action, 'RegisterTargets');
  assert.deepEqual(decoded.params, {
    TargetGroupArn: 'arn:tg',
    Targets: [{ Id: 'a', Port: '80' }, { Id: 'b' }],
    Tags: { team: 'web' },
  });
});

test('awsQuery bodies without an Action are refused', () => {
  assert.throws(() => decodeQueryBody('Version=1'), /no Action/);
  assert.throws(() => decodeQueryBody('Action=X&A=1&A.B=2'), /conflicts/);
});

test('XML output renders lists as member elements and escapes text', () => {
  assert.equal(toXml({ A: [{ B: 'x<y' }, { B: 2 }], C: true, D: undefined }), '<A><member><B>x&#60;y</B></member><member><B>2</B></member></A><C>true</C>');
  assert.equal(toXml({ T: new Date(Date.UTC(2026, 0, 2)) }), '<T>2026-01-02T00:00:00.000Z</T>');
});

test('JSON output writes timestamps as epoch seconds', () => {
  assert.equal(encodeJsonBody({ at: new Date(1500), nested: [{ at: new Date(0) }] }), '{"at":1.5,"nested":[{"at":0}]}');
});

test('SigV4 scope gives region and signing name; a 12-digit key is the account', () => {
  const header = 'AWS4-HMAC-SHA256 Credential=123456789012/20261121/eu-west-1/ecs/aws4_request, SignedHeaders=host, Signature=abc';
  assert.deepEqual(parseAuthorization(header), { account: '123456789012', region: 'eu-west-1', signingName: 'ecs' });
  assert.deepEqual(parseAuthorization(undefined), { account: '000000000000', region: 'us-east-1', signingName: undefined });
  assert.equal(parseAuthorization(header.replace('123456789012', 'AKIAEXAMPLE')).account, '000000000000');
});
