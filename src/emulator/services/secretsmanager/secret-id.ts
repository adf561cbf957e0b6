import type { StoredSecret } from './model.js';

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/;
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A secret's ARN: its name, a hyphen and six random characters, so a re-created name gets a new ARN. */
export function secretArn(scope: { account: string; region: string }, name: string, random: (n: number) => number): string {
  let suffix = '';
  for (let i = 0; i < 6; i += 1) suffix += SUFFIX_ALPHABET[random(SUFFIX_ALPHABET.length)];
  return `arn:aws:secretsmanager:${scope.region}:${scope.account}:secret:${name}-${suffix}`;
}

/**
 * The secret a SecretId names: a name, the full ARN, or a partial ARN (the
 * ARN without "-" and the six random characters), as AWS resolves them. An
 * ARN of another account or Region names nothing here: cross-account access
 * through resource policies is not emulated.
 */
export function findSecret(
  secrets: ReadonlyMap<string, StoredSecret>,
  secretId: string,
  scope: { account: string; region: string },
): StoredSecret | undefined {
  const arn = SECRET_ARN.exec(secretId);
  if (!arn) return secrets.get(secretId);
  const [, region, account, rest = ''] = arn;
  if (region !== scope.region || account !== scope.account) return undefined;
  for (const secret of secrets.values()) {
    if (secret.ARN === secretId) return secret;
  }
  return secrets.get(rest);
}
