import { hostname } from 'node:os';

/**
 * Who runs this command, as recorded on revisions and in the canary's tags:
 * $ECS_ROLLOUT_WHO when set; in CI the account that started the job
 * (GitHub Actions, GitLab CI) as account@ci; else user@host.
 */
export function operatorName(env: NodeJS.ProcessEnv): string {
  if (env.ECS_ROLLOUT_WHO) return env.ECS_ROLLOUT_WHO;
  if (env.GITHUB_ACTOR) return `${env.GITHUB_ACTOR}@github-actions`;
  if (env.GITLAB_USER_LOGIN) return `${env.GITLAB_USER_LOGIN}@gitlab-ci`;
  return `${env.USER ?? env.USERNAME ?? 'someone'}@${hostname()}`;
}
