import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Tag } from '@aws-sdk/client-ecs';
import { acquireLock, judgeLock, LOCK_TAG, lockValue, releaseLock, type DeployLock } from '../../src/engine/deploy-lock.js';
import type { EventBody } from '../../src/engine/events.js';
import type { ServiceControlPort } from '../../src/engine/ports.js';
import { RolloutError } from '../../src/spec/errors.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const LOCK = (deploymentId: string, expiresInMs: number, who = 'alice@ci'): DeployLock => ({
  deploymentId, who, since: new Date(NOW - 60_000).toISOString(), expires: new Date(NOW + expiresInMs).toISOString(),
});

/** Service tags in memory; `interfere` plays another deploy writing its lock right after ours. */
class FakeTags implements ServiceControlPort {
  tags: Tag[] = [];
  interfere: Tag | undefined;
  async setDesiredCount() {}
  async readTags() {
    return this.tags.map((t) => ({ ...t }));
  }
  async writeTags(_arn: string, tags: readonly Tag[]) {
    for (const tag of [...tags, ...(this.interfere ? [this.interfere] : [])]) this.tags = [...this.tags.filter((t) => t.key !== tag.key), { ...tag }];
  }
  async removeTags(_arn: string, keys: readonly string[]) {
    this.tags = this.tags.filter((t) => !keys.includes(t.key ?? ''));
  }
}

const request = (fields: Partial<Parameters<typeof acquireLock>[1]> = {}) => ({ serviceArn: 'arn:svc', service: 'web', deploymentId: 'mine', who: 'bob@laptop', now: NOW, ttlMs: 1_200_000, force: false, ...fields });

test('lock state: free, ours, held by another, expired; a value that does not parse is free', () => {
  const tag = (lock: DeployLock): Tag[] => [{ key: LOCK_TAG, value: lockValue(lock) }];
  assert.equal(judgeLock([], 'mine', NOW).kind, 'free');
  assert.equal(judgeLock(tag(LOCK('mine', 1000)), 'mine', NOW).kind, 'ours');
  assert.equal(judgeLock(tag(LOCK('theirs', 1000)), 'mine', NOW).kind, 'held');
  assert.equal(judgeLock(tag(LOCK('theirs', 0)), 'mine', NOW).kind, 'expired');
  assert.equal(judgeLock([{ key: LOCK_TAG, value: 'garbage' }], 'mine', NOW).kind, 'free');
  assert.deepEqual(judgeLock(tag(LOCK('theirs', 1000, 'carol smith@ci')), 'mine', NOW), { kind: 'held', lock: { ...LOCK('theirs', 1000, 'carol_smith@ci') } });
});

test('acquire: a free lock is taken; a held one is refused naming who and since when, unless --force, which warns', async () => {
  const services = new FakeTags();
  const events: EventBody[] = [];
  const lock = await acquireLock(services, request(), (e) => events.push(e));
  assert.equal(lock.expires, new Date(NOW + 1_200_000).toISOString());
  assert.equal(judgeLock(services.tags, 'mine', NOW).kind, 'ours');

  const second = new FakeTags();
  second.tags = [{ key: LOCK_TAG, value: lockValue(LOCK('theirs', 600_000)) }];
  await assert.rejects(acquireLock(second, request(), () => undefined), (err: unknown) => {
    assert.ok(err instanceof RolloutError && err.code === 'PreflightFailed');
    assert.match(err.message, /service web is being deployed by alice@ci since 2026-01-01T11:59:00\.000Z \(deployment theirs; its lock expires at 2026-01-01T12:10:00\.000Z\)\. Wait .* or pass --force/);
    return true;
  });
  assert.equal(judgeLock(second.tags, 'mine', NOW).kind, 'held', 'nothing changed');

  const forced: EventBody[] = [];
  await acquireLock(second, request({ force: true }), (e) => forced.push(e));
  assert.deepEqual(forced[0], { type: 'lock-taken-over', holder: 'alice@ci', since: '2026-01-01T11:59:00.000Z', deploymentId: 'theirs', expired: false });
  assert.equal(judgeLock(second.tags, 'mine', NOW).kind, 'ours');
});

test('acquire: an expired lock is taken with a note; of two deploys writing at once, the one whose value stays wins', async () => {
  const expired = new FakeTags();
  expired.tags = [{ key: LOCK_TAG, value: lockValue(LOCK('dead', -1)) }];
  const events: EventBody[] = [];
  await acquireLock(expired, request(), (e) => events.push(e));
  assert.equal(events[0]?.type === 'lock-taken-over' && events[0].expired, true);

  const race = new FakeTags();
  race.interfere = { key: LOCK_TAG, value: lockValue(LOCK('other', 600_000, 'carol@ci')) };
  await assert.rejects(acquireLock(race, request(), () => undefined), /service web was locked by carol@ci at the same moment; nothing was changed/);
});

test('release lets go of our lock only', async () => {
  const services = new FakeTags();
  services.tags = [{ key: LOCK_TAG, value: lockValue(LOCK('theirs', 600_000)) }];
  await releaseLock(services, 'arn:svc', 'mine');
  assert.equal(services.tags.length, 1, "another deploy's lock stays");
  services.tags = [{ key: LOCK_TAG, value: lockValue(LOCK('mine', 600_000)) }, { key: 'team', value: 'web' }];
  await releaseLock(services, 'arn:svc', 'mine');
  assert.deepEqual(services.tags, [{ key: 'team', value: 'web' }]);
});
