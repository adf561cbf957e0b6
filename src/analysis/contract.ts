/**
 * What a deployment driver (the alb canary executor, the native-strategy
 * gates) needs from metric analysis: run a named analysis from the config
 * file against one step of one deployment, and hear its verdict.
 */

/** How an analysis ended. Argo Rollouts' phases, which users of progressive delivery already know. */
export type AnalysisPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/** What the driver does when the verdict is not Successful, as the analysis's `onFailure` says. */
export type FailureAction = 'rollback' | 'pause' | 'report';

export interface AnalysisVerdict {
  analysis: string;
  phase: AnalysisPhase;
  /** What the configuration asks for when `phase` is not Successful. */
  onFailure: FailureAction;
  /** One line a person reads: which metric decided, with its figures. */
  summary: string;
}

/**
 * Names that metric queries, URLs and commands of an analysis may refer to
 * as `{{name}}`, e.g. `canary.targetGroup` ("targetgroup/web-canary/0123..."),
 * `stable.targetGroup`, `loadBalancer` ("app/web/0123..."), `cluster`,
 * `canary.service`, `stable.service`, `canary.weight`, `step`.
 */
export type AnalysisVariables = Readonly<Record<string, string>>;

export interface AnalysisRunner {
  /** Whether the config defines an analysis of this name. */
  has(name: string): boolean;
  /** Runs every metric of the analysis until it is decided; emits each measurement and the verdict as deployment events. */
  run(name: string, variables: AnalysisVariables, signal: AbortSignal): Promise<AnalysisVerdict>;
}
