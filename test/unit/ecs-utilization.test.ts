import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reservedResources, serviceUtilizationPoints, utilization } from '../../src/emulator/runtime/metrics/ecs-utilization.js';

const START = Date.UTC(2025, 0, 1, 12, 0, 0);

test('ECS utilization: Average is used over reserved for the whole service; Minimum and Maximum are single tasks', () => {
  // 256 units used of 256 (100%), 128 of 512 (25%): the service uses 384 of 768, 50%.
  const stats = utilization([{ used: 256, reserved: 256 }, { used: 128, reserved: 512 }]);
  assert.deepEqual(stats, { SampleCount: 2, Sum: 100, Minimum: 25, Maximum: 100 });
  assert.equal(utilization([{ used: 10, reserved: undefined }]), undefined);
  assert.equal(utilization([]), undefined);
});

test('ECS utilization: a service minute becomes CPUUtilization and MemoryUtilization in Percent with ClusterName and ServiceName', () => {
  const points = serviceUtilizationPoints({
    clusterName: 'prod',
    serviceName: 'web',
    start: START,
    tasks: [{ cpuUnitsUsed: 512, cpuUnitsReserved: 1024, memoryMiBUsed: 64, memoryMiBReserved: 512 }],
  });
  assert.deepEqual(points.map((p) => [p.namespace, p.metricName, p.unit, p.timestamp]), [
    ['AWS/ECS', 'CPUUtilization', 'Percent', START],
    ['AWS/ECS', 'MemoryUtilization', 'Percent', START],
  ]);
  assert.deepEqual(points[0]?.dimensions, [{ Name: 'ClusterName', Value: 'prod' }, { Name: 'ServiceName', Value: 'web' }]);
  assert.deepEqual(points[0]?.statistics, { SampleCount: 1, Sum: 50, Minimum: 50, Maximum: 50 });
  assert.deepEqual(points[1]?.statistics, { SampleCount: 1, Sum: 12.5, Minimum: 12.5, Maximum: 12.5 });
});

test('ECS utilization: reservations come from the task level, else the containers (memoryReservation before memory)', () => {
  const none = { cpu: undefined, memory: undefined, memoryReservation: undefined };
  const table = [
    { task: { cpu: '256', memory: '512', containers: [none] }, expected: { cpuUnits: 256, memoryMiB: 512 } },
    { task: { cpu: '0.5 vCPU', memory: '1 GB', containers: [] }, expected: { cpuUnits: 512, memoryMiB: 1024 } },
    {
      task: { cpu: undefined, memory: undefined, containers: [{ cpu: '128', memory: '300', memoryReservation: '100' }, { cpu: '0', memory: '200', memoryReservation: undefined }] },
      expected: { cpuUnits: 128, memoryMiB: 300 },
    },
    { task: { cpu: undefined, memory: undefined, containers: [none] }, expected: { cpuUnits: undefined, memoryMiB: undefined } },
  ];
  for (const row of table) assert.deepEqual(reservedResources(row.task), row.expected, JSON.stringify(row.task));
});
