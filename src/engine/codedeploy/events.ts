/**
 * What a deployment through CodeDeploy tells its renderers. Part of the one
 * event stream (RolloutEvent); `at` is added when emitted. The end of the
 * deployment is told with the shared deployment-completed / -failed /
 * -rolled-back / -aborted events.
 */

/** One task set of the deployment as CodeDeploy's ECS target shows it. */
export interface CodeDeployTaskSet {
  /** Blue: the original; Green: the replacement. */
  label: string;
  id: string;
  targetGroup: string | undefined;
  desired: number;
  running: number;
  pending: number;
  /** Percent of production traffic CodeDeploy sends it. */
  trafficWeight: number;
}

export type CodeDeployEvent =
  | {
      type: 'codedeploy-planned';
      application: string;
      deploymentGroup: string;
      /** The configuration's name, or the group's when none is named. */
      deploymentConfig: string;
      describe: string;
      /** Minutes CodeDeploy waits with test traffic on green before it stops the deployment; undefined: it does not wait. */
      readyWaitMinutes: number | undefined;
      terminationWaitMinutes: number;
      notes: string[];
    }
  | { type: 'codedeploy-config-created'; deploymentConfig: string; describe: string }
  /** alarmsLeftOut: the group's alarms already in ALARM that this deployment does not watch (preexistingAlarm: proceed, rollbacks). */
  | { type: 'codedeploy-created'; deploymentId: string; application: string; deploymentGroup: string; taskDefinitionArn: string; alarmsLeftOut: string[] }
  | { type: 'codedeploy-lifecycle'; deploymentId: string; lifecycleEvent: string; status: string; diagnostics: string | undefined }
  | { type: 'codedeploy-traffic'; deploymentId: string; taskSets: CodeDeployTaskSet[] }
  /** ready: test traffic is on green and CodeDeploy waits for ContinueDeployment; termination: production is on green, blue waits to be terminated. */
  | { type: 'codedeploy-waiting'; deploymentId: string; wait: 'ready' | 'termination'; gated: boolean; until: string | undefined }
  | { type: 'codedeploy-continued'; deploymentId: string; wait: 'READY_WAIT' | 'TERMINATION_WAIT' }
  | { type: 'codedeploy-stopping'; deploymentId: string; rollback: boolean; reason: string };

export type CodeDeployEventType = CodeDeployEvent['type'];
