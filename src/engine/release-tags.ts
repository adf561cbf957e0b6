import type { Tag } from '@aws-sdk/client-ecs';

/**
 * What the tool records on every task definition revision it registers, as
 * tags: the image, the git commit, who deployed, when, and the tool's
 * deployment id. History and rollback read them back; nothing lives only in
 * the CLI.
 */
export interface ReleaseInfo {
  image: string;
  commit: string | undefined;
  who: string;
  /** Epoch ms. */
  at: number;
  deploymentId: string;
}

export const RELEASE_TAG_KEYS = {
  image: 'ecs-rollout:image',
  commit: 'ecs-rollout:commit',
  who: 'ecs-rollout:deployed-by',
  at: 'ecs-rollout:deployed-at',
  deploymentId: 'ecs-rollout:deployment-id',
} as const;

/** AWS tag values: at most 256 characters of letters, digits, spaces and + - = . _ : / @. */
const TAG_VALUE_MAX = 256;
const NOT_ALLOWED = /[^\p{L}\p{N}\s+\-=._:/@]/gu;

function tagValue(value: string): string {
  return value.replace(NOT_ALLOWED, '_').slice(0, TAG_VALUE_MAX);
}

/** The revision's tags: the current ones with the release tags set (replacing a previous release's). Pure. */
export function withReleaseTags(current: readonly Tag[], release: ReleaseInfo): Tag[] {
  const keys = new Set<string>(Object.values(RELEASE_TAG_KEYS));
  const mine: Tag[] = [
    { key: RELEASE_TAG_KEYS.image, value: tagValue(release.image) },
    ...(release.commit ? [{ key: RELEASE_TAG_KEYS.commit, value: tagValue(release.commit) }] : []),
    { key: RELEASE_TAG_KEYS.who, value: tagValue(release.who) },
    { key: RELEASE_TAG_KEYS.at, value: new Date(release.at).toISOString() },
    { key: RELEASE_TAG_KEYS.deploymentId, value: tagValue(release.deploymentId) },
  ];
  return [...current.filter((t) => !keys.has(t.key ?? '')), ...mine];
}

/** The release a revision's tags record; fields it does not carry are undefined. Pure. */
export function readReleaseTags(tags: readonly Tag[]): Partial<Omit<ReleaseInfo, 'at'>> & { at?: string } {
  const get = (key: string): string | undefined => tags.find((t) => t.key === key)?.value;
  return {
    image: get(RELEASE_TAG_KEYS.image),
    commit: get(RELEASE_TAG_KEYS.commit),
    who: get(RELEASE_TAG_KEYS.who),
    at: get(RELEASE_TAG_KEYS.at),
    deploymentId: get(RELEASE_TAG_KEYS.deploymentId),
  };
}

/** The commit a CI system says it builds, from its usual variables; undefined outside CI. */
export function commitFromEnvironment(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of ['ECS_ROLLOUT_COMMIT', 'GITHUB_SHA', 'CI_COMMIT_SHA', 'BITBUCKET_COMMIT', 'CIRCLE_SHA1', 'BUILDKITE_COMMIT', 'GIT_COMMIT']) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}
