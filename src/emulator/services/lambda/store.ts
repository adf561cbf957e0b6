import { scopeKey } from '../../request-context.js';
import type { Persistent } from '../../state-directory.js';
import type { StoredFunction } from './model.js';

export interface Scope {
  account: string;
  region: string;
}

/** Functions per account and region, by name. */
export class LambdaStore implements Persistent {
  readonly stateName = 'lambda';
  private scopes = new Map<string, Map<string, StoredFunction>>();

  functions(scope: Scope): Map<string, StoredFunction> {
    const key = scopeKey(scope);
    let functions = this.scopes.get(key);
    if (!functions) this.scopes.set(key, (functions = new Map()));
    return functions;
  }

  snapshot(): unknown {
    return Object.fromEntries([...this.scopes].map(([key, functions]) => [key, [...functions.values()]]));
  }

  restore(data: unknown): void {
    const saved = data as Record<string, StoredFunction[]>;
    this.scopes = new Map(
      Object.entries(saved).map(([key, functions]) => [key, new Map(functions.map((f) => [f.configuration.FunctionName, f]))]),
    );
  }
}
