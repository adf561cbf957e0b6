import { scopeKey } from '../../request-context.js';
import type { Persistent } from '../../state-directory.js';
import type { StoredSecret } from './model.js';

type Scope = { account: string; region: string };

/** Secrets per account and Region, by name; a secret scheduled for deletion stays until its DeletionDate. */
export class SecretsStore implements Persistent {
  readonly stateName = 'secretsmanager';
  private scopes = new Map<string, Map<string, StoredSecret>>();

  /** The scope's secrets, after removing those whose scheduled deletion has come (`now`, virtual epoch ms). */
  secrets(scope: Scope, now: number): Map<string, StoredSecret> {
    const key = scopeKey(scope);
    let secrets = this.scopes.get(key);
    if (!secrets) this.scopes.set(key, (secrets = new Map()));
    for (const [name, secret] of secrets) {
      if (secret.DeletionDate && secret.DeletionDate.getTime() <= now) secrets.delete(name);
    }
    return secrets;
  }

  snapshot(): unknown {
    return Object.fromEntries([...this.scopes].map(([key, secrets]) => [key, [...secrets.values()]]));
  }

  restore(data: unknown): void {
    const saved = data as Record<string, StoredSecret[]>;
    this.scopes = new Map(Object.entries(saved).map(([key, secrets]) => [key, new Map(secrets.map((s) => [s.Name, s]))]));
  }
}
