import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand,
  DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand, PutLogEventsCommand, PutRetentionPolicyCommand, StartQueryCommand,
  type GetLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { TEST_CREDENTIALS, TEST_REGION, uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';

/**
 * CloudWatch Logs over real HTTP with the SDK v3 client: groups, streams,
 * events, paging tokens and AWS's errors.
 */

function logsClient(t: TestContext, emulator: Emulator, region = TEST_REGION): CloudWatchLogsClient {
  const client = new CloudWatchLogsClient({ endpoint: emulator.url, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  t.after(() => client.destroy());
  return client;
}

/** The error a promise rejects with, for asserting AWS's code and message together. */
async function failure(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (err) {
    return { name: (err as Error).name, message: (err as Error).message };
  }
  assert.fail('the call succeeded');
}

async function groupWithStream(logs: CloudWatchLogsClient, prefix: string): Promise<{ group: string; stream: string }> {
  const group = `/ecs-rollout/test/${uniqueName(prefix)}`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'main' }));
  return { group, stream: 'main' };
}

const messages = (out: GetLogEventsCommandOutput): string[] => (out.events ?? []).map((e) => e.message ?? '');

test('CloudWatch Logs: log groups are created once, described by prefix in pages, and deleted', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const logs = logsClient(t, emulator);
  const prefix = `/app/${uniqueName('groups')}/`;
  const names = ['b', 'a', 'C', 'a-1', 'z'].map((n) => `${prefix}${n}`);
  for (const name of names) await logs.send(new CreateLogGroupCommand({ logGroupName: name, tags: { team: 'web' } }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: `/other/${uniqueName('groups')}` }));

  assert.deepEqual(await failure(logs.send(new CreateLogGroupCommand({ logGroupName: names[0] }))), {
    name: 'ResourceAlreadyExistsException',
    message: 'The specified log group already exists',
  });

  const seen: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix, limit: 2, nextToken }));
    pages += 1;
    assert.ok((page.logGroups?.length ?? 0) <= 2);
    seen.push(...(page.logGroups ?? []).map((g) => g.logGroupName ?? ''));
    nextToken = page.nextToken;
  } while (nextToken);
  assert.equal(pages, 3);
  // ASCII order: upper case before lower case, '-' after the bare name.
  assert.deepEqual(seen, ['C', 'a', 'a-1', 'b', 'z'].map((n) => `${prefix}${n}`));

  const [first] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `${prefix}a-` }))).logGroups ?? [];
  assert.equal(first?.logGroupName, `${prefix}a-1`);
  assert.equal(first?.arn, `arn:aws:logs:us-east-1:000000000000:log-group:${prefix}a-1:*`);
  assert.equal(first?.logGroupArn, `arn:aws:logs:us-east-1:000000000000:log-group:${prefix}a-1`);
  assert.equal(first?.retentionInDays, undefined);
  assert.equal(first?.storedBytes, 0);
  assert.ok(Math.abs((first?.creationTime ?? 0) - emulator.clock.now()) < 60_000 * emulator.clock.speed);

  await logs.send(new DeleteLogGroupCommand({ logGroupName: names[0] }));
  const after = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix }));
  assert.equal(after.logGroups?.length, 4);
  assert.deepEqual(await failure(logs.send(new DeleteLogGroupCommand({ logGroupName: names[0] }))), {
    name: 'ResourceNotFoundException',
    message: 'The specified log group does not exist.',
  });

  // Another Region of the same account holds none of these.
  const elsewhere = logsClient(t, emulator, 'eu-west-1');
  assert.deepEqual((await elsewhere.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: prefix }))).logGroups, []);
});

test('CloudWatch Logs: bad names, limits, retention values and unknown operations get AWS-shaped errors', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const logs = logsClient(t, emulator);
  assert.deepEqual(await failure(logs.send(new CreateLogGroupCommand({ logGroupName: 'has space' }))), {
    name: 'InvalidParameterException',
    message: "1 validation error detected: Value 'has space' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
  });
  assert.deepEqual(await failure(logs.send(new CreateLogGroupCommand({ logGroupName: undefined }))), {
    name: 'InvalidParameterException',
    message: "1 validation error detected: Value null at 'logGroupName' failed to satisfy constraint: Member must not be null",
  });
  const { group } = await groupWithStream(logs, 'errors');
  assert.deepEqual(await failure(logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'a:b' }))), {
    name: 'InvalidParameterException',
    message: "1 validation error detected: Value 'a:b' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*",
  });
  assert.deepEqual(await failure(logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'main' }))), {
    name: 'ResourceAlreadyExistsException',
    message: 'The specified log stream already exists',
  });
  assert.deepEqual(await failure(logs.send(new CreateLogStreamCommand({ logGroupName: `${group}-missing`, logStreamName: 'x' }))), {
    name: 'ResourceNotFoundException',
    message: 'The specified log group does not exist.',
  });
  assert.deepEqual(await failure(logs.send(new DescribeLogGroupsCommand({ limit: 51 }))), {
    name: 'InvalidParameterException',
    message: "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
  });
  const retention = await failure(logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 2 })));
  assert.equal(retention.name, 'InvalidParameterException');
  assert.match(retention.message, /^1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: \[1, 3, 5, 7, 14, 30,/);
  assert.deepEqual(await failure(logs.send(new PutRetentionPolicyCommand({ logGroupName: `${group}-missing`, retentionInDays: 7 }))), {
    name: 'ResourceNotFoundException',
    message: 'The specified log group does not exist.',
  });
  const unsupported = await failure(logs.send(new StartQueryCommand({ logGroupName: group, queryString: 'fields @message', startTime: 0, endTime: 1 })));
  assert.deepEqual(unsupported, {
    name: 'UnsupportedOperation',
    message: 'CloudWatchLogs operation StartQuery is not emulated by ecs-rollout; see docs/emulator-fidelity.md for what is.',
  });
});

test('CloudWatch Logs: DescribeLogStreams orders by name or last event time, either way round, in pages', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const logs = logsClient(t, emulator);
  const group = `/streams/${uniqueName('order')}`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const now = Math.floor(emulator.clock.now());
  // Written newest-name-first so name order and event-time order differ.
  for (const [i, name] of ['web/c', 'web/b', 'web/a', 'worker/a'].entries()) {
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }));
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: name, logEvents: [{ timestamp: now - 1000 + i * 100, message: `line ${i}` }] }));
  }
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'web/empty' }));

  const names = async (input: Omit<ConstructorParameters<typeof DescribeLogStreamsCommand>[0], 'logGroupName'>): Promise<string[]> => {
    const out: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, limit: 2, ...input, nextToken }));
      out.push(...(page.logStreams ?? []).map((s) => s.logStreamName ?? ''));
      nextToken = page.nextToken;
    } while (nextToken);
    return out;
  };
  assert.deepEqual(await names({}), ['web/a', 'web/b', 'web/c', 'web/empty', 'worker/a']);
  assert.deepEqual(await names({ logStreamNamePrefix: 'web/', descending: true }), ['web/empty', 'web/c', 'web/b', 'web/a']);
  assert.deepEqual(await names({ orderBy: 'LastEventTime', descending: true }), ['worker/a', 'web/a', 'web/b', 'web/c', 'web/empty']);

  const [a] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'web/a' }))).logStreams ?? [];
  assert.equal(a?.firstEventTimestamp, now - 1000 + 200);
  assert.equal(a?.lastEventTimestamp, now - 1000 + 200);
  assert.equal(typeof a?.lastIngestionTime, 'number');
  assert.equal(a?.arn, `arn:aws:logs:us-east-1:000000000000:log-group:${group}:log-stream:web/a`);
  const [empty] = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: group, logStreamNamePrefix: 'web/empty' }))).logStreams ?? [];
  assert.equal(empty?.firstEventTimestamp, undefined);

  // The ARN form of the group works too.
  const byArn = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:000000000000:log-group:${group}:*` }));
  assert.equal(byArn.logStreams?.length, 5);
  assert.deepEqual(await failure(logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: 'LastEventTime', logStreamNamePrefix: 'web' }))), {
    name: 'InvalidParameterException',
    message: 'Cannot order by LastEventTime with a logStreamNamePrefix.',
  });
});

test('CloudWatch Logs: GetLogEvents pages backward from the tail or forward from the head, with tokens as AWS hands them out', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const logs = logsClient(t, emulator);
  const { group, stream } = await groupWithStream(logs, 'get');
  const base = Math.floor(emulator.clock.now()) - 10_000;
  const put = await logs.send(new PutLogEventsCommand({
    logGroupName: group, logStreamName: stream,
    logEvents: [0, 1, 2, 3, 4].map((i) => ({ timestamp: base + i * 1000, message: `event ${i}` })),
  }));
  assert.match(put.nextSequenceToken ?? '', /^\d{56}$/);
  assert.equal(put.rejectedLogEventsInfo, undefined);

  // Default: the newest events, oldest first within the page.
  const tail = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 2 }));
  assert.deepEqual(messages(tail), ['event 3', 'event 4']);
  assert.match(tail.nextForwardToken ?? '', /^f\/\d{56}\/s$/);
  assert.match(tail.nextBackwardToken ?? '', /^b\/\d{56}\/s$/);
  const back1 = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 2, nextToken: tail.nextBackwardToken }));
  assert.deepEqual(messages(back1), ['event 1', 'event 2']);
  const back2 = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 2, nextToken: back1.nextBackwardToken }));
  assert.deepEqual(messages(back2), ['event 0']);
  const back3 = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 2, nextToken: back2.nextBackwardToken }));
  assert.deepEqual(messages(back3), []);
  assert.equal(back3.nextBackwardToken, back2.nextBackwardToken, 'at the start of the stream the same token comes back');

  const head = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 2, startFromHead: true }));
  assert.deepEqual(messages(head), ['event 0', 'event 1']);
  assert.deepEqual(head.events?.[0], { timestamp: base, message: 'event 0', ingestionTime: head.events?.[0]?.ingestionTime });
  assert.equal(typeof head.events?.[0]?.ingestionTime, 'number');
  let token = head.nextForwardToken;
  const forward: string[] = [];
  for (;;) {
    const page = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 2, startFromHead: true, nextToken: token }));
    if (page.nextForwardToken === token) {
      assert.deepEqual(messages(page), []);
      break;
    }
    forward.push(...messages(page));
    token = page.nextForwardToken;
  }
  assert.deepEqual(forward, ['event 2', 'event 3', 'event 4']);

  // A forward token at the end picks up events written later: how a follower tails a stream.
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: base + 5000, message: 'event 5' }] }));
  const later = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, nextToken: token }));
  assert.deepEqual(messages(later), ['event 5']);

  // startTime is inclusive, endTime exclusive.
  const window = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, startTime: base + 1000, endTime: base + 3000 }));
  assert.deepEqual(messages(window), ['event 1', 'event 2']);

  assert.deepEqual(await failure(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'nope' }))), {
    name: 'ResourceNotFoundException',
    message: 'The specified log stream does not exist.',
  });
  assert.deepEqual(await failure(logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, nextToken: 'garbage' }))), {
    name: 'InvalidParameterException',
    message: 'The specified nextToken is invalid.',
  });
});

test('CloudWatch Logs: PutLogEvents checks order, rejects events outside the accepted window and honours retention', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const logs = logsClient(t, emulator);
  const { group, stream } = await groupWithStream(logs, 'put');
  const now = Math.floor(emulator.clock.now());
  assert.deepEqual(await failure(logs.send(new PutLogEventsCommand({
    logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: now, message: 'b' }, { timestamp: now - 1, message: 'a' }],
  }))), { name: 'InvalidParameterException', message: 'Log events in a single PutLogEvents request must be in chronological order.' });
  assert.deepEqual(await failure(logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'missing', logEvents: [{ timestamp: now, message: 'x' }] }))), {
    name: 'ResourceNotFoundException',
    message: 'The specified log stream does not exist.',
  });

  const day = 24 * 60 * 60 * 1000;
  const out = await logs.send(new PutLogEventsCommand({
    logGroupName: group, logStreamName: stream,
    logEvents: [
      { timestamp: now - 15 * day, message: 'too old' },
      { timestamp: now - 1000, message: 'kept' },
      { timestamp: now + 3 * 60 * 60 * 1000, message: 'too new' },
    ],
  }));
  assert.deepEqual(out.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 0, tooNewLogEventStartIndex: 2 });

  await logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 1 }));
  const expired = await logs.send(new PutLogEventsCommand({
    logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: now - 2 * day, message: 'expired' }, { timestamp: now, message: 'fresh' }],
  }));
  assert.deepEqual(expired.rejectedLogEventsInfo, { expiredLogEventEndIndex: 0 });
  const events = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true }));
  assert.deepEqual(messages(events), ['kept', 'fresh']);
  const [described] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups ?? [];
  assert.equal(described?.retentionInDays, 1);
  assert.equal(described?.storedBytes, Buffer.byteLength('kept') + Buffer.byteLength('fresh'));
});

test('CloudWatch Logs: FilterLogEvents interleaves streams and matches terms, phrases, alternatives and exclusions', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const logs = logsClient(t, emulator);
  const group = `/filter/${uniqueName('filter')}`;
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  const base = Math.floor(emulator.clock.now()) - 60_000;
  for (const stream of ['web/1', 'web/2', 'worker/1']) await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
  // One event per second, alternating streams, so interleaving is visible.
  const order: Array<[string, string]> = [
    ['web/1', 'GET /health 200'], ['web/2', 'WARN slow request'], ['web/1', 'ERROR connection refused by db'],
    ['worker/1', 'ERROR connection refused by queue'], ['web/2', 'ERROR timeout talking to db'], ['web/1', 'GET /orders 500'],
  ];
  for (const [i, [stream, message]] of order.entries()) {
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: base + i * 1000, message }] }));
  }
  const filter = async (input: Omit<ConstructorParameters<typeof FilterLogEventsCommand>[0], 'logGroupName'>): Promise<string[]> => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: group, ...input }));
    return (out.events ?? []).map((e) => `${e.logStreamName}: ${e.message}`);
  };

  assert.deepEqual(await filter({}), order.map(([s, m]) => `${s}: ${m}`));
  assert.deepEqual(await filter({ filterPattern: 'ERROR db' }), ['web/1: ERROR connection refused by db', 'web/2: ERROR timeout talking to db']);
  assert.deepEqual(await filter({ filterPattern: '"connection refused"' }), ['web/1: ERROR connection refused by db', 'worker/1: ERROR connection refused by queue']);
  assert.deepEqual(await filter({ filterPattern: '?WARN ?500' }), ['web/2: WARN slow request', 'web/1: GET /orders 500']);
  assert.deepEqual(await filter({ filterPattern: 'ERROR -queue -timeout' }), ['web/1: ERROR connection refused by db']);
  assert.deepEqual(await filter({ filterPattern: 'error' }), [], 'terms are case sensitive');
  assert.deepEqual(await filter({ logStreamNamePrefix: 'web/', filterPattern: 'ERROR' }), ['web/1: ERROR connection refused by db', 'web/2: ERROR timeout talking to db']);
  assert.deepEqual(await filter({ logStreamNames: ['worker/1', 'web/2'] }), ['web/2: WARN slow request', 'worker/1: ERROR connection refused by queue', 'web/2: ERROR timeout talking to db']);
  // Both ends of the time range are inclusive.
  assert.deepEqual(await filter({ startTime: base + 1000, endTime: base + 2000 }), ['web/2: WARN slow request', 'web/1: ERROR connection refused by db']);
  assert.deepEqual(await filter({ startFromHead: false, startTime: base, limit: 2 }), ['web/1: GET /orders 500', 'web/2: ERROR timeout talking to db']);

  // Paging: two at a time, forward, until no nextToken.
  const paged: string[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, limit: 2, nextToken }));
    pages += 1;
    paged.push(...(page.events ?? []).map((e) => e.message ?? ''));
    assert.ok((page.events ?? []).every((e) => /^\d{56}$/.test(e.eventId ?? '')));
    assert.deepEqual(page.searchedLogStreams, []);
    nextToken = page.nextToken;
  } while (nextToken);
  assert.equal(pages, 3);
  assert.deepEqual(paged, order.map(([, m]) => m));

  assert.equal((await failure(logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNames: ['web/1'], logStreamNamePrefix: 'web' })))).name, 'InvalidParameterException');
  const json = await failure(logs.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern: '{ $.level = "error" }' })));
  assert.equal(json.name, 'InvalidParameterException');
  assert.match(json.message, /not emulated by ecs-rollout/);
  assert.deepEqual(await failure(logs.send(new FilterLogEventsCommand({ logGroupName: `${group}-missing` }))), {
    name: 'ResourceNotFoundException',
    message: 'The specified log group does not exist.',
  });
});

test('CloudWatch Logs: groups, streams and events survive an emulator restart on the same state directory', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'ecs-rollout-logs-'));
  let second: Emulator | undefined;
  // One hook, in this order: the emulator saves its state on close, into the directory.
  t.after(async () => {
    await second?.close();
    await rm(dir, { recursive: true, force: true });
  });
  const first = await startEmulator({ port: 0, speed: 20, stateDir: dir });
  const group = `/restart/${uniqueName('restart')}`;
  let timestamp = 0;
  try {
    const logs = new CloudWatchLogsClient({ endpoint: first.url, region: TEST_REGION, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    timestamp = Math.floor(first.clock.now());
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: group, retentionInDays: 30 }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 's' }));
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [{ timestamp, message: 'before restart' }] }));
    logs.destroy();
  } finally {
    await first.close();
  }
  second = await startEmulator({ port: 0, speed: 20, stateDir: dir });
  const logs = logsClient(t, second);
  const [described] = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }))).logGroups ?? [];
  assert.equal(described?.retentionInDays, 30);
  const events = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's' }));
  assert.deepEqual(events.events?.map((e) => [e.timestamp, e.message]), [[timestamp, 'before restart']]);
  // Sequence numbers carry on: a new event sorts after the old one of the same timestamp.
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's', logEvents: [{ timestamp, message: 'after restart' }] }));
  const both = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's', startFromHead: true }));
  assert.deepEqual(messages(both), ['before restart', 'after restart']);
});

test('CloudWatch Logs: a stream keeps its newest 10,000 events (the emulator caps what it holds)', async (t) => {
  const { emulator } = await startTestEmulator(t);
  const logs = logsClient(t, emulator);
  const { group, stream } = await groupWithStream(logs, 'cap');
  const base = Math.floor(emulator.clock.now()) - 60_000;
  const batch = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ timestamp: base + from + i, message: `e${from + i}` }));
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: batch(0, 10_000) }));
  await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: batch(10_000, 5) }));
  const oldest = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, limit: 1 }));
  assert.deepEqual(messages(oldest), ['e5']);
  const newest = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, limit: 1 }));
  assert.deepEqual(messages(newest), ['e10004']);
});
