/** A container image reference split into the parts a registry needs. */
export interface ImageReference {
  /** Set when the reference names an ECR registry: ACCOUNT.dkr.ecr.REGION.amazonaws.com. */
  ecr: { account: string; region: string } | undefined;
  repositoryName: string;
  tag: string | undefined;
  digest: string | undefined;
}

const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * Parses `[registry/]repository[:tag][@digest]`. A reference with neither tag
 * nor digest means `latest`, as container runtimes read it.
 */
export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let ecr: ImageReference['ecr'];
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const host = rest.slice(0, slash);
    const match = ECR_HOST.exec(host);
    if (match) {
      ecr = { account: match[1] ?? '', region: match[2] ?? '' };
      rest = rest.slice(slash + 1);
    } else if (host.includes('.') || host.includes(':') || host === 'localhost') {
      rest = rest.slice(slash + 1);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (tag === undefined && digest === undefined) tag = 'latest';
  return { ecr, repositoryName: rest, tag, digest };
}

export function ecrRepositoryUri(account: string, region: string, repositoryName: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com/${repositoryName}`;
}
