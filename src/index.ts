/**
 * ecs-rollout as a library: the same deploy and status the CLI runs, with
 * ports over AWS SDK v3 clients (point them at the emulator with `endpoint`).
 */
export { deploy } from './engine/deploy.js';
export type { DeployRequest, DeployResult, DeployOutcome, RunOptions } from './engine/deploy.js';
export { getServiceStatus } from './engine/status.js';
export { promoteDeployment, abortDeployment } from './engine/operator.js';
export { runAlbCanary } from './engine/alb-canary/run.js';
export type { AlbCanaryRequest, AlbCanaryOptions } from './engine/alb-canary/run.js';
export { findAlbCanary, getCanaryStatus, promoteCanary, abortCanary } from './engine/alb-canary/operator.js';
export type { FoundCanary, CanaryStatus, CanaryPromoteResult, CanaryAbortResult } from './engine/alb-canary/operator.js';
export type { AlbCanaryEvent } from './engine/alb-canary/events.js';
export { resolveAlbCanary, type AlbCanarySettings, type TrafficRoute, type Executor } from './spec/alb-canary.js';
export type { CanaryStep } from './spec/canary-steps.js';
export type { OperatorRequest, PromoteResult, AbortResult } from './engine/operator.js';
export { judgeServiceDeployment } from './engine/native-verdict.js';
export type { NativeVerdict, NativeTracking } from './engine/native-verdict.js';
export { planNativeDeployment, type NativePlan } from './engine/strategies/native-config.js';
export { strategySchema, resolveGates, STRATEGY_NAMES, GATE_STAGES } from './spec/strategy.js';
export type { StrategyName, StrategyConfig, Gate, GateCheck, GateStage } from './spec/strategy.js';
export type { ServiceStatus, DeploymentStatus, ServiceDeploymentStatus } from './engine/status.js';
export type { ImageChange, PreflightRequest } from './engine/preflight.js';
export type {
  RolloutEvent,
  RolloutEventType,
  EventListener,
  RevisionProgress,
  StoppedTaskRecord,
  ServiceEventRecord,
  PreflightCheck,
  ContainerExit,
  RevisionShare,
  HookState,
} from './engine/events.js';
export type { AlbCanaryPorts, LoadBalancerPort, ServiceControlPort } from './engine/ports.js';
export type { Ports, EcsPort, ImageRegistryPort, ImageLookup, GateCheckPort, GateAttempt, StartDeploymentRequest } from './engine/ports.js';
export type { Clock } from './engine/clock.js';
export { systemClock } from './engine/clock.js';
export { judgeDeployment } from './engine/verdict.js';
export type { Verdict, Tracking, Observation } from './engine/verdict.js';
export { createAwsPorts, type AwsPorts } from './aws/clients.js';
export { resolveConnection, isLoopbackUrl, type Connection } from './spec/connection.js';
export { loadConfigFile, parseConfigText, configFileSchema, type ConfigFile } from './spec/config-file.js';
export { parseDuration, formatDuration } from './spec/duration.js';
export { RolloutError, type RolloutErrorCode } from './spec/errors.js';
export { ExitCode } from './cli/exit-codes.js';
