/**
 * ECS's AWS_LAMBDA lifecycle hooks as pure functions: the payload ECS sends
 * the function, and what its answer means for the deployment. The scheduler
 * (progressive-deployment.ts) invokes the function and applies the answer.
 */

/** ECS re-invokes an IN_PROGRESS hook after this many seconds unless the function says otherwise. */
export const DEFAULT_CALLBACK_DELAY_SECONDS = 30;

export interface HookPayloadInput {
  serviceArn: string;
  serviceDeploymentArn: string;
  targetServiceRevisionArn: string;
  /** The revision production and test traffic come back to (blue), if there is one. */
  sourceServiceRevisionArn: string | undefined;
  lifecycleStage: string;
  /** Stable across the re-invocations of one hook at one stage. */
  executionId: string;
  productionPercent: number;
  testPercent: number;
  /** The hook's hookDetails, or what the function returned with its last IN_PROGRESS. */
  hookDetails: unknown;
}

/** Revision ARN -> percent of traffic, as the payload's weight maps show it. */
function weights(target: string, source: string | undefined, targetPercent: number): Record<string, number> {
  const out: Record<string, number> = {};
  if (source) out[source] = 100 - targetPercent;
  out[target] = targetPercent;
  return out;
}

export function hookPayload(input: HookPayloadInput): Record<string, unknown> {
  return {
    executionDetails: {
      serviceArn: input.serviceArn,
      targetServiceRevisionArn: input.targetServiceRevisionArn,
      testTrafficWeights: weights(input.targetServiceRevisionArn, input.sourceServiceRevisionArn, input.testPercent),
      productionTrafficWeights: weights(input.targetServiceRevisionArn, input.sourceServiceRevisionArn, input.productionPercent),
    },
    executionId: input.executionId,
    lifecycleStage: input.lifecycleStage,
    resourceArn: input.serviceDeploymentArn,
    ...(input.hookDetails !== undefined && input.hookDetails !== null ? { hookDetails: input.hookDetails } : {}),
  };
}

/** How one invocation ended, as the hook sees it. */
export type HookInvocation =
  | { kind: 'returned'; payload: string }
  | { kind: 'function-error'; payload: string }
  | { kind: 'not-found' };

export type HookAnswer =
  | { kind: 'succeeded' }
  | { kind: 'failed'; why: string }
  | { kind: 'in-progress'; delaySeconds: number; hookDetails: unknown };

const MAX_DETAIL = 300;
const clip = (text: string): string => (text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}...` : text);

/**
 * SUCCEEDED moves on; FAILED, a missing or unknown hookStatus, a function
 * error or a missing function roll back; IN_PROGRESS asks to be called again
 * after callBackDelay seconds (30 when it gives none it can use).
 */
export function hookAnswer(invocation: HookInvocation): HookAnswer {
  if (invocation.kind === 'not-found') return { kind: 'failed', why: 'the function does not exist' };
  if (invocation.kind === 'function-error') {
    let message = invocation.payload;
    try {
      const doc = JSON.parse(invocation.payload) as { errorType?: unknown; errorMessage?: unknown };
      if (typeof doc.errorMessage === 'string') message = `${typeof doc.errorType === 'string' ? `${doc.errorType}: ` : ''}${doc.errorMessage}`;
    } catch {
      // Not a JSON error document: the raw payload is the best description there is.
    }
    return { kind: 'failed', why: `the function failed (${clip(message)})` };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(invocation.payload);
  } catch {
    return { kind: 'failed', why: `the function returned no valid hookStatus (not JSON: ${clip(JSON.stringify(invocation.payload))})` };
  }
  const answer = (typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc : {}) as Record<string, unknown>;
  switch (answer.hookStatus) {
    case 'SUCCEEDED':
      return { kind: 'succeeded' };
    case 'FAILED':
      return { kind: 'failed', why: 'the function returned hookStatus FAILED' };
    case 'IN_PROGRESS': {
      const delay = answer.callBackDelay;
      const usable = typeof delay === 'number' && Number.isFinite(delay) && delay >= 0;
      return { kind: 'in-progress', delaySeconds: usable ? delay : DEFAULT_CALLBACK_DELAY_SECONDS, hookDetails: answer.hookDetails };
    }
    default:
      return { kind: 'failed', why: `the function returned no valid hookStatus (${clip(JSON.stringify(answer.hookStatus ?? null))})` };
  }
}
