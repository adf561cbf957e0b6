import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  CreateRepositoryCommand, DescribeImagesCommand, DescribeRepositoriesCommand, ImageNotFoundException,
  ListImagesCommand, PutImageCommand, RepositoryAlreadyExistsException, RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { CallLog } from '../../src/emulator/call-log.js';
import { createClock } from '../../src/emulator/clock.js';
import { createFrontDoor, listen } from '../../src/emulator/server.js';
import { LOCAL_IMAGE_MEDIA_TYPE } from '../../src/emulator/services/ecr/image-registry.js';
import { createEcr } from '../../src/emulator/services/ecr/index.js';
import { awsClients, uniqueName } from '../support/clients.js';

async function startEcr(t: { after: (fn: () => Promise<void>) => void }) {
  const ecr = createEcr({ clock: createClock(1) });
  const server = createFrontDoor({ services: [ecr.service], callLog: new CallLog(), afterWrite: () => {} });
  const address: AddressInfo = await listen(server, 0, '127.0.0.1');
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { ecr, client: awsClients(`http://127.0.0.1:${address.port}`).ecr };
}

const manifest = (command: string[]) => JSON.stringify({ schemaVersion: 2, mediaType: LOCAL_IMAGE_MEDIA_TYPE, command });

test('ECR: a pushed image is described, listed and resolved by the task registry', async (t) => {
  const { ecr, client } = await startEcr(t);
  const name = uniqueName('app');
  const created = await client.send(new CreateRepositoryCommand({ repositoryName: name }));
  assert.equal(created.repository?.repositoryUri, `000000000000.dkr.ecr.us-east-1.amazonaws.com/${name}`);
  assert.ok(created.repository?.createdAt instanceof Date);

  const put = await client.send(new PutImageCommand({ repositoryName: name, imageTag: 'v1', imageManifest: manifest(['node', 'a.js']), imageManifestMediaType: LOCAL_IMAGE_MEDIA_TYPE }));
  assert.match(put.image?.imageId?.imageDigest ?? '', /^sha256:[0-9a-f]{64}$/);

  const described = await client.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'v1' }] }));
  assert.deepEqual(described.imageDetails?.[0]?.imageTags, ['v1']);
  const listed = await client.send(new ListImagesCommand({ repositoryName: name }));
  assert.equal(listed.imageIds?.length, 1);

  const resolved = ecr.registry.resolve(`${created.repository?.repositoryUri}:v1`, { account: '000000000000', region: 'us-east-1' });
  assert.deepEqual(resolved.ok && resolved.image.command, ['node', 'a.js']);
  const bare = ecr.registry.resolve(`${name}:v1`, { account: '000000000000', region: 'us-east-1' });
  assert.equal(bare.ok, true);
  const missing = ecr.registry.resolve(`${name}:v9`, { account: '000000000000', region: 'us-east-1' });
  assert.equal(missing.ok, false);
  assert.match(!missing.ok ? missing.reason : '', new RegExp(`${name}:v9: not found$`));
});

test('ECR: a tag pushed again moves to the new image', async (t) => {
  const { client } = await startEcr(t);
  const name = uniqueName('app');
  await client.send(new CreateRepositoryCommand({ repositoryName: name }));
  await client.send(new PutImageCommand({ repositoryName: name, imageTag: 'latest', imageManifest: manifest(['one']) }));
  const second = await client.send(new PutImageCommand({ repositoryName: name, imageTag: 'latest', imageManifest: manifest(['two']) }));
  const described = await client.send(new DescribeImagesCommand({ repositoryName: name }));
  const tagged = described.imageDetails?.filter((d) => d.imageTags?.includes('latest'));
  assert.equal(tagged?.length, 1);
  assert.equal(tagged?.[0]?.imageDigest, second.image?.imageId?.imageDigest);
});

test('ECR: errors carry AWS codes and name the resource', async (t) => {
  const { client } = await startEcr(t);
  const name = uniqueName('app');
  await assert.rejects(client.send(new DescribeRepositoriesCommand({ repositoryNames: [name] })), (err: unknown) => {
    assert.ok(err instanceof RepositoryNotFoundException);
    assert.match(err.message, new RegExp(`'${name}' does not exist`));
    return true;
  });
  await client.send(new CreateRepositoryCommand({ repositoryName: name }));
  await assert.rejects(client.send(new CreateRepositoryCommand({ repositoryName: name })), RepositoryAlreadyExistsException);
  await assert.rejects(client.send(new DescribeImagesCommand({ repositoryName: name, imageIds: [{ imageTag: 'nope' }] })), (err: unknown) => {
    assert.ok(err instanceof ImageNotFoundException);
    assert.match(err.message, /imageTag:'nope'/);
    return true;
  });
  await assert.rejects(client.send(new CreateRepositoryCommand({ repositoryName: 'Bad Name' })), /repositoryName/);
});
