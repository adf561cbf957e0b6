/** Who is calling and where: every operation runs in one account and region. */
export interface RequestContext {
  readonly account: string;
  readonly region: string;
  readonly requestId: string;
}

export const DEFAULT_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

/** The key under which a service keeps one account's state in one region. */
export function scopeKey(ctx: Pick<RequestContext, 'account' | 'region'>): string {
  return `${ctx.account}/${ctx.region}`;
}

/**
 * Reads account and region from a SigV4 Authorization header, as LocalStack
 * does: a 12-digit access key id is taken as the account id; any other key
 * maps to the default account. Region and signing name come from the scope.
 */
export function parseAuthorization(header: string | undefined): {
  account: string;
  region: string;
  signingName: string | undefined;
} {
  const match = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(header ?? '');
  if (!match) return { account: DEFAULT_ACCOUNT, region: DEFAULT_REGION, signingName: undefined };
  const [, accessKey = '', region = DEFAULT_REGION, signingName] = match;
  return {
    account: /^\d{12}$/.test(accessKey) ? accessKey : DEFAULT_ACCOUNT,
    region,
    signingName,
  };
}
