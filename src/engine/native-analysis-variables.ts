import type { AnalysisVariables } from '../analysis/contract.js';
import type { NativeSnapshot } from './strategies/native-observation.js';

/**
 * The {{variables}} an analysis gate sees at a PAUSE hook of a blue/green,
 * canary or linear deployment: what ECS's service deployment shows. The
 * target revision is the canary, the first source revision the stable one.
 * ECS does not report which target group serves which revision, so the
 * target group, load balancer and URL variables are not provided here. Pure.
 */
export function nativeAnalysisVariables(input: { cluster: string; service: string; snapshot: NativeSnapshot; step: number }): AnalysisVariables {
  const { snapshot } = input;
  const target = snapshot.revisions.find((r) => r.role === 'target');
  const source = snapshot.revisions.find((r) => r.role === 'source');
  const variables: Record<string, string> = {
    cluster: input.cluster,
    service: input.service,
    'canary.service': input.service,
    'stable.service': input.service,
    step: String(input.step),
    'canary.weight': String(snapshot.productionWeight ?? 0),
  };
  if (snapshot.stage !== undefined) variables.stage = snapshot.stage;
  if (target?.taskDefinitionArn) variables['canary.taskDefinition'] = target.taskDefinitionArn;
  if (source?.taskDefinitionArn) variables['stable.taskDefinition'] = source.taskDefinitionArn;
  return variables;
}
