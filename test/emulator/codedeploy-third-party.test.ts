import assert from 'node:assert/strict';
import { test } from 'node:test';
import { freePort } from '../../examples/lib/free-port.js';
import { pushSampleVersions } from '../../examples/lib/sample-stack.js';
import { uniqueName } from '../support/clients.js';
import { startTestEmulator } from '../support/emulator.js';
import { clientEnv, missing, run } from '../support/third-party.js';
import { SPEED } from './codedeploy-stack.js';
import { versionAt } from './ecs-blue-green-stack.js';

/**
 * An ECS blue/green deployment through the emulated CodeDeploy, driven end to
 * end by boto3 and by the AWS CLI given only an endpoint: each builds the
 * stack codedeploy-stack.ts builds with SDK v3 (cluster, ALB with production
 * and test listeners, two target groups, task definitions v1 and v2, a
 * CODE_DEPLOY service on v1, an application and deployment group), deploys v2
 * with an AppSpec, and waits with its own DeploymentSuccessful waiter, which
 * polls GetDeployment. The test then asks the production listener over HTTP
 * which version answers. Images are the one thing the clients are handed:
 * the sample app's v1 and v2, pushed to the emulated ECR here.
 */

const ROLE = 'arn:aws:iam::000000000000:role/ecsCodeDeployRole';
/** Each client's whole run, setup to Succeeded; the AWS CLI's waiter alone sleeps 15 s between polls. */
const CLIENT_TIMEOUT_MS = 50_000;

interface Deployment {
  status: string;
  computePlatform: string;
  deploymentConfigName: string;
  revision: { revisionType: string; appSpecContent: { content: string } };
}

/** An emulator with v1 and v2 of the sample app in its ECR, and the names and ports one client's stack uses. */
async function setUp(t: Parameters<typeof startTestEmulator>[0], prefix: string) {
  const { emulator } = await startTestEmulator(t, { speed: SPEED });
  const images = await pushSampleVersions(emulator.url, [{ tag: 'v1' }, { tag: 'v2' }]);
  const prodPort = await freePort();
  const testPort = await freePort();
  return { emulator, name: uniqueName(prefix), v1: images.get('v1') ?? '', v2: images.get('v2') ?? '', prodPort, testPort };
}

/** What every client's deployment must end as: v2 in production and on the test listener. */
async function assertDeployedV2(deployment: Deployment, td2: string, prodPort: number, testPort: number): Promise<void> {
  assert.equal(deployment.status, 'Succeeded');
  assert.equal(deployment.computePlatform, 'ECS');
  assert.equal(deployment.deploymentConfigName, 'CodeDeployDefault.ECSAllAtOnce');
  assert.equal(deployment.revision.revisionType, 'AppSpecContent');
  assert.ok(deployment.revision.appSpecContent.content.includes(td2), 'the AppSpec the client sent names v2');
  for (let i = 0; i < 4; i += 1) assert.equal(await versionAt(`http://127.0.0.1:${prodPort}/`), 'v2');
  assert.equal(await versionAt(`http://127.0.0.1:${testPort}/`), 'v2');
}

const BOTO3_SCRIPT = `
import boto3, json, sys
name, v1, v2, prod_port, test_port, role = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
ecs, elbv2, codedeploy = boto3.client('ecs'), boto3.client('elbv2'), boto3.client('codedeploy')

ecs.create_cluster(clusterName=name)
lb = elbv2.create_load_balancer(Name=name + '-lb', Type='application', Subnets=['subnet-local'])['LoadBalancers'][0]['LoadBalancerArn']

def target_group(group_name):
    arn = elbv2.create_target_group(
        Name=group_name, Protocol='HTTP', Port=8080, VpcId='vpc-local', TargetType='ip', HealthCheckPath='/health',
        HealthCheckIntervalSeconds=5, HealthCheckTimeoutSeconds=2, HealthyThresholdCount=2, UnhealthyThresholdCount=2,
    )['TargetGroups'][0]['TargetGroupArn']
    elbv2.modify_target_group_attributes(TargetGroupArn=arn, Attributes=[{'Key': 'deregistration_delay.timeout_seconds', 'Value': '2'}])
    return arn

def listener(port, group):
    return elbv2.create_listener(
        LoadBalancerArn=lb, Protocol='HTTP', Port=port, DefaultActions=[{'Type': 'forward', 'TargetGroupArn': group}],
    )['Listeners'][0]['ListenerArn']

def task_definition(image):
    return ecs.register_task_definition(family=name, containerDefinitions=[
        {'name': 'app', 'image': image, 'memory': 128, 'portMappings': [{'containerPort': 8080}], 'stopTimeout': 2},
    ])['taskDefinition']['taskDefinitionArn']

tg1, tg2 = target_group(name + '-1'), target_group(name + '-2')
prod, test = listener(prod_port, tg1), listener(test_port, tg2)
td1, td2 = task_definition(v1), task_definition(v2)
ecs.create_service(
    cluster=name, serviceName=name, taskDefinition=td1, desiredCount=2, deploymentController={'type': 'CODE_DEPLOY'},
    loadBalancers=[{'targetGroupArn': tg1, 'containerName': 'app', 'containerPort': 8080}],
)

app = name + '-app'
codedeploy.create_application(applicationName=app, computePlatform='ECS')
codedeploy.create_deployment_group(
    applicationName=app, deploymentGroupName=name, serviceRoleArn=role, deploymentConfigName='CodeDeployDefault.ECSAllAtOnce',
    ecsServices=[{'clusterName': name, 'serviceName': name}],
    loadBalancerInfo={'targetGroupPairInfoList': [{
        'targetGroups': [{'name': name + '-1'}, {'name': name + '-2'}],
        'prodTrafficRoute': {'listenerArns': [prod]}, 'testTrafficRoute': {'listenerArns': [test]},
    }]},
    deploymentStyle={'deploymentType': 'BLUE_GREEN', 'deploymentOption': 'WITH_TRAFFIC_CONTROL'},
    blueGreenDeploymentConfiguration={
        'deploymentReadyOption': {'actionOnTimeout': 'CONTINUE_DEPLOYMENT'},
        'terminateBlueInstancesOnDeploymentSuccess': {'action': 'TERMINATE', 'terminationWaitTimeInMinutes': 0},
    },
    autoRollbackConfiguration={'enabled': True, 'events': ['DEPLOYMENT_FAILURE']},
)

appspec = f'''version: 0.0
Resources:
  - TargetService:
      Type: AWS::ECS::Service
      Properties:
        TaskDefinition: "{td2}"
        LoadBalancerInfo:
          ContainerName: "app"
          ContainerPort: 8080
'''
deployment = codedeploy.create_deployment(
    applicationName=app, deploymentGroupName=name, revision={'revisionType': 'AppSpecContent', 'appSpecContent': {'content': appspec}},
)['deploymentId']
# botocore's waiter polls GetDeployment every 15 s by default; virtual time runs fast here.
codedeploy.get_waiter('deployment_successful').wait(deploymentId=deployment, WaiterConfig={'Delay': 1, 'MaxAttempts': 40})
info = codedeploy.get_deployment(deploymentId=deployment)['deploymentInfo']
print(json.dumps({'td2': td2, 'deployment': info}, default=str))
`;

test('boto3 builds a CODE_DEPLOY service and its deployment group, deploys v2 with a YAML AppSpec and waits for Succeeded', async (t) => {
  const reason = await missing('python3', ['-c', 'import boto3']);
  if (reason) return t.skip('python3 with boto3 is not installed here; install it to run this test');
  const { emulator, name, v1, v2, prodPort, testPort } = await setUp(t, 'boto-cd');
  const { stdout } = await run('python3', ['-c', BOTO3_SCRIPT, name, v1, v2, String(prodPort), String(testPort), ROLE], {
    env: clientEnv(emulator.url), timeout: CLIENT_TIMEOUT_MS,
  });
  const out = JSON.parse(stdout) as { td2: string; deployment: Deployment };
  await assertDeployedV2(out.deployment, out.td2, prodPort, testPort);
});

test('the AWS CLI builds a CODE_DEPLOY service and its deployment group, deploys v2 with a JSON AppSpec and waits with deploy wait', async (t) => {
  const reason = await missing('aws', ['--version']);
  if (reason) return t.skip(reason);
  const { emulator, name, v1, v2, prodPort, testPort } = await setUp(t, 'cli-cd');
  const aws = async <T = unknown>(...args: string[]): Promise<T> => {
    const { stdout } = await run('aws', ['--endpoint-url', emulator.url, '--output', 'json', ...args], { env: clientEnv(emulator.url), timeout: 30_000 });
    return JSON.parse(stdout || '{}') as T;
  };

  await aws('ecs', 'create-cluster', '--cluster-name', name);
  const lb = (await aws<{ LoadBalancers: Array<{ LoadBalancerArn: string }> }>(
    'elbv2', 'create-load-balancer', '--name', `${name}-lb`, '--type', 'application', '--subnets', 'subnet-local',
  )).LoadBalancers[0]?.LoadBalancerArn ?? '';
  const targetGroup = async (groupName: string): Promise<string> => {
    const created = await aws<{ TargetGroups: Array<{ TargetGroupArn: string }> }>(
      'elbv2', 'create-target-group', '--name', groupName, '--protocol', 'HTTP', '--port', '8080', '--vpc-id', 'vpc-local', '--target-type', 'ip',
      '--health-check-path', '/health', '--health-check-interval-seconds', '5', '--health-check-timeout-seconds', '2',
      '--healthy-threshold-count', '2', '--unhealthy-threshold-count', '2',
    );
    const arn = created.TargetGroups[0]?.TargetGroupArn ?? '';
    await aws('elbv2', 'modify-target-group-attributes', '--target-group-arn', arn, '--attributes', 'Key=deregistration_delay.timeout_seconds,Value=2');
    return arn;
  };
  const listener = async (port: number, group: string): Promise<string> => (await aws<{ Listeners: Array<{ ListenerArn: string }> }>(
    'elbv2', 'create-listener', '--load-balancer-arn', lb, '--protocol', 'HTTP', '--port', String(port), '--default-actions', `Type=forward,TargetGroupArn=${group}`,
  )).Listeners[0]?.ListenerArn ?? '';
  const taskDefinition = async (image: string): Promise<string> => (await aws<{ taskDefinition: { taskDefinitionArn: string } }>(
    'ecs', 'register-task-definition', '--family', name,
    '--container-definitions', JSON.stringify([{ name: 'app', image, memory: 128, portMappings: [{ containerPort: 8080 }], stopTimeout: 2 }]),
  )).taskDefinition.taskDefinitionArn;

  const tg1 = await targetGroup(`${name}-1`);
  const tg2 = await targetGroup(`${name}-2`);
  const prod = await listener(prodPort, tg1);
  const testListener = await listener(testPort, tg2);
  const td1 = await taskDefinition(v1);
  const td2 = await taskDefinition(v2);
  await aws('ecs', 'create-service', '--cluster', name, '--service-name', name, '--task-definition', td1, '--desired-count', '2',
    '--deployment-controller', 'type=CODE_DEPLOY', '--load-balancers', `targetGroupArn=${tg1},containerName=app,containerPort=8080`);

  const application = `${name}-app`;
  await aws('deploy', 'create-application', '--application-name', application, '--compute-platform', 'ECS');
  await aws('deploy', 'create-deployment-group', '--application-name', application, '--deployment-group-name', name,
    '--service-role-arn', ROLE, '--deployment-config-name', 'CodeDeployDefault.ECSAllAtOnce',
    '--ecs-services', `clusterName=${name},serviceName=${name}`,
    '--load-balancer-info', JSON.stringify({
      targetGroupPairInfoList: [{
        targetGroups: [{ name: `${name}-1` }, { name: `${name}-2` }], prodTrafficRoute: { listenerArns: [prod] }, testTrafficRoute: { listenerArns: [testListener] },
      }],
    }),
    '--deployment-style', 'deploymentType=BLUE_GREEN,deploymentOption=WITH_TRAFFIC_CONTROL',
    '--blue-green-deployment-configuration', JSON.stringify({
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 0 },
    }),
    '--auto-rollback-configuration', 'enabled=true,events=DEPLOYMENT_FAILURE');

  const appSpec = JSON.stringify({
    version: 0.0,
    Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: td2, LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 } } } }],
  });
  const { deploymentId } = await aws<{ deploymentId: string }>('deploy', 'create-deployment', '--application-name', application,
    '--deployment-group-name', name, '--revision', JSON.stringify({ revisionType: 'AppSpecContent', appSpecContent: { content: appSpec } }));
  // The CLI's waiter polls GetDeployment every 15 s and cannot be told otherwise; at this speed the deployment
  // has often ended before its first poll, else it sleeps once.
  await run('aws', ['--endpoint-url', emulator.url, 'deploy', 'wait', 'deployment-successful', '--deployment-id', deploymentId], {
    env: clientEnv(emulator.url), timeout: CLIENT_TIMEOUT_MS,
  });
  const { deploymentInfo } = await aws<{ deploymentInfo: Deployment }>('deploy', 'get-deployment', '--deployment-id', deploymentId);
  await assertDeployedV2(deploymentInfo, td2, prodPort, testPort);
});
