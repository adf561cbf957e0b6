import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseContainer } from '../../src/engine/container-choice.js';
import { parseEcrImageUri, splitImage, withTag } from '../../src/engine/image.js';
import { planRevision, taskDefinitionLabel } from '../../src/engine/revision.js';
import { taskDefinition, TD_ARN } from './engine-fakes.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test('parseEcrImageUri reads ECR URIs and rejects others', () => {
  assert.deepEqual(parseEcrImageUri('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:v1'), {
    uri: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web:v1', registryId: '123456789012', region: 'eu-west-1', repositoryName: 'team/web', tag: 'v1', digest: undefined,
  });
  assert.equal(parseEcrImageUri(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${DIGEST}`)?.digest, DIGEST);
  assert.equal(parseEcrImageUri('123456789012.dkr.ecr.us-east-1.amazonaws.com/web')?.tag, 'latest');
  for (const other of ['nginx:1.27', 'public.ecr.aws/nginx/nginx:1', 'ghcr.io/org/app:v1', 'localhost:5000/app:v1']) {
    assert.equal(parseEcrImageUri(other), undefined, other);
  }
});

test('withTag replaces only the tag, or a digest pin, and keeps registry ports', () => {
  const table: Array<[string, string]> = [
    ['123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1', '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2'],
    [`123456789012.dkr.ecr.us-east-1.amazonaws.com/web@${DIGEST}`, '123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v2'],
    ['localhost:5000/app', 'localhost:5000/app:v2'],
    ['localhost:5000/app:v1', 'localhost:5000/app:v2'],
    ['nginx', 'nginx:v2'],
  ];
  for (const [image, expected] of table) assert.equal(withTag(image, 'v2'), expected, image);
  assert.deepEqual(splitImage('localhost:5000/app:v1'), { repository: 'localhost:5000/app', tag: 'v1', digest: undefined });
});

test('chooseContainer: the named one, the only one, or an error listing them', () => {
  const one = [{ name: 'app', image: 'a' }];
  const two = [{ name: 'app', image: 'a' }, { name: 'envoy', image: 'e' }];
  assert.equal(chooseContainer(one, undefined, 'web:3').ok, true);
  const chosen = chooseContainer(two, 'envoy', 'web:3');
  assert.equal(chosen.ok && chosen.container.name, 'envoy');
  assert.deepEqual(chooseContainer(two, undefined, 'web:3'), { ok: false, message: 'task definition web:3 has 2 containers (app, envoy); pass --container NAME to say which one gets the new image' });
  assert.deepEqual(chooseContainer(two, 'api', 'web:3'), { ok: false, message: 'task definition web:3 has no container named api; its containers are: app, envoy' });
});

test('planRevision strips response-only fields, swaps one image, and carries tags', () => {
  const current = taskDefinition(3, [{ name: 'app', image: 'web:v3' }, { name: 'envoy', image: 'envoy:1' }]);
  const plan = planRevision(current, [{ key: 'team', value: 'payments' }], 'app', 'web:v4');
  assert.deepEqual(plan.containerDefinitions?.map((c) => c.image), ['web:v4', 'envoy:1']);
  assert.deepEqual(plan.tags, [{ key: 'team', value: 'payments' }]);
  assert.equal(plan.family, 'web');
  assert.equal(plan.cpu, '256');
  assert.deepEqual(Object.keys(plan).sort(), ['containerDefinitions', 'cpu', 'family', 'memory', 'networkMode', 'requiresCompatibilities', 'tags']);
  assert.equal(current.containerDefinitions?.[0]?.image, 'web:v3', 'the input is not modified');
  assert.equal('tags' in planRevision(current, [], 'app', 'x'), false);
});

test('taskDefinitionLabel', () => {
  assert.equal(taskDefinitionLabel(TD_ARN(7)), 'web:7');
  assert.equal(taskDefinitionLabel('web:7'), 'web:7');
  assert.equal(taskDefinitionLabel(undefined), '(none)');
});
