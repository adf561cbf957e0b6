import type { Persistent } from '../../state-directory.js';
import { scopeKey } from '../../request-context.js';

export interface StoredImage {
  imageDigest: string;
  imageTags: string[];
  imageManifest: string;
  imageManifestMediaType: string;
  imagePushedAt: Date;
  imageSizeInBytes: number;
}

export interface StoredRepository {
  repositoryName: string;
  repositoryArn: string;
  repositoryUri: string;
  registryId: string;
  createdAt: Date;
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  tags: Array<{ Key: string; Value: string }>;
  images: StoredImage[];
}

/** Repositories per account and region. */
export class EcrStore implements Persistent {
  readonly stateName = 'ecr';
  private scopes = new Map<string, Map<string, StoredRepository>>();

  repositories(scope: { account: string; region: string }): Map<string, StoredRepository> {
    const key = scopeKey(scope);
    let repos = this.scopes.get(key);
    if (!repos) this.scopes.set(key, (repos = new Map()));
    return repos;
  }

  snapshot(): unknown {
    return Object.fromEntries([...this.scopes].map(([key, repos]) => [key, [...repos.values()]]));
  }

  restore(data: unknown): void {
    const saved = data as Record<string, StoredRepository[]>;
    this.scopes = new Map(
      Object.entries(saved).map(([key, repos]) => [key, new Map(repos.map((r) => [r.repositoryName, r]))]),
    );
  }
}
