import type { Persistent } from '../../state-directory.js';
import type { StoredRole } from './model.js';

/**
 * Roles per account. IAM is a global service: a role is the same whichever
 * Region a client signs for, so the key is the account alone. Role names are
 * unique regardless of case, so roles are kept by their lower-cased name.
 */
export class IamStore implements Persistent {
  readonly stateName = 'iam';
  private accounts = new Map<string, Map<string, StoredRole>>();

  roles(account: string): Map<string, StoredRole> {
    let roles = this.accounts.get(account);
    if (!roles) this.accounts.set(account, (roles = new Map()));
    return roles;
  }

  snapshot(): unknown {
    return Object.fromEntries([...this.accounts].map(([account, roles]) => [account, [...roles.values()]]));
  }

  restore(data: unknown): void {
    const saved = data as Record<string, StoredRole[]>;
    this.accounts = new Map(
      Object.entries(saved).map(([account, roles]) => [account, new Map(roles.map((r) => [r.RoleName.toLowerCase(), r]))]),
    );
  }
}
