import { randomUUID } from 'node:crypto';
import { functionArn, functionRef } from './arns.js';
import { localTarget } from './local-target.js';
import { runLocal } from './local-runner.js';
import type { InvocationResult, StoredFunction } from './model.js';
import type { LambdaStore, Scope } from './store.js';

/** What other emulated services (ECS lifecycle hooks) need from Lambda. */
export interface FunctionPlane {
  /** The function's ARN when `ref` (a name or ARN) names one in this account and Region. */
  find(scope: Scope, ref: string): string | undefined;
  /** One synchronous (RequestResponse) invocation; rejects only when `signal` aborts it. */
  invoke(scope: Scope, ref: string, payload: string, signal: AbortSignal): Promise<InvocationResult | { kind: 'not-found' }>;
}

/** The environment Lambda gives a function, with the host's PATH and HOME so local commands resolve. */
function functionEnvironment(scope: Scope, fn: StoredFunction): Record<string, string> {
  const c = fn.configuration;
  const host: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'SYSTEMROOT']) {
    const value = process.env[name];
    if (value !== undefined) host[name] = value;
  }
  return {
    ...host,
    ...c.Environment?.Variables,
    AWS_REGION: scope.region,
    AWS_DEFAULT_REGION: scope.region,
    AWS_LAMBDA_FUNCTION_NAME: c.FunctionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(c.MemorySize ?? 128),
  };
}

/** Functions held in the store, run as local URLs or commands. */
export class LocalFunctions implements FunctionPlane {
  private readonly closing = new AbortController();

  constructor(private readonly store: LambdaStore) {}

  lookup(scope: Scope, ref: string): StoredFunction | undefined {
    const { name, qualifier, here } = functionRef(ref, scope);
    if (!here || (qualifier !== undefined && qualifier !== '$LATEST')) return undefined;
    return this.store.functions(scope).get(name);
  }

  find(scope: Scope, ref: string): string | undefined {
    try {
      return this.lookup(scope, ref)?.configuration.FunctionArn;
    } catch {
      return undefined;
    }
  }

  /** The ARN a ref would have, for "Function not found" messages. */
  arnFor(scope: Scope, ref: string): string {
    const { name, qualifier } = functionRef(ref, scope);
    return `${functionArn(scope, name)}${qualifier ? `:${qualifier}` : ''}`;
  }

  async invoke(scope: Scope, ref: string, payload: string, signal: AbortSignal): Promise<InvocationResult | { kind: 'not-found' }> {
    const fn = this.lookup(scope, ref);
    if (!fn) return { kind: 'not-found' };
    return this.run(scope, fn, payload, randomUUID(), signal);
  }

  /** Runs `fn` once; ends early (rejecting) when `signal` aborts or the emulator closes. */
  run(scope: Scope, fn: StoredFunction, payload: string, requestId: string, signal?: AbortSignal): Promise<InvocationResult> {
    return runLocal(localTarget(fn.configuration.Environment?.Variables), {
      payload,
      env: functionEnvironment(scope, fn),
      timeoutSeconds: fn.configuration.Timeout ?? 3,
      requestId,
      signal: signal ? AbortSignal.any([signal, this.closing.signal]) : this.closing.signal,
    });
  }

  /** Ends every invocation still running (their commands are killed). */
  close(): void {
    this.closing.abort(new Error('the emulator is closing'));
  }
}
