import { scopeKey } from '../../request-context.js';
import type { Persistent } from '../../state-directory.js';
import type { StoredParameter } from './model.js';

/** Parameters per account and Region, by name. */
export class ParameterStore implements Persistent {
  readonly stateName = 'ssm';
  private scopes = new Map<string, Map<string, StoredParameter>>();

  parameters(scope: { account: string; region: string }): Map<string, StoredParameter> {
    const key = scopeKey(scope);
    let parameters = this.scopes.get(key);
    if (!parameters) this.scopes.set(key, (parameters = new Map()));
    return parameters;
  }

  snapshot(): unknown {
    return Object.fromEntries([...this.scopes].map(([key, parameters]) => [key, [...parameters.values()]]));
  }

  restore(data: unknown): void {
    const saved = data as Record<string, StoredParameter[]>;
    this.scopes = new Map(Object.entries(saved).map(([key, parameters]) => [key, new Map(parameters.map((p) => [p.Name, p]))]));
  }
}
