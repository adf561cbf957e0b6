/** Container image references: pure parsing and rewriting. */

/** An image in Amazon ECR, parsed from ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO(:TAG|@DIGEST). */
export interface EcrImageReference {
  uri: string;
  registryId: string;
  region: string;
  repositoryName: string;
  tag: string | undefined;
  digest: string | undefined;
}

const ECR_URI = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([a-z0-9._\/-]+?)(?::([\w][\w.-]{0,127})|@(sha256:[a-f0-9]{64}))?$/;

export function parseEcrImageUri(image: string): EcrImageReference | undefined {
  const match = ECR_URI.exec(image);
  if (!match) return undefined;
  const [, registryId = '', region = '', repositoryName = '', tag, digest] = match;
  // An untagged reference means :latest, as docker pull reads it.
  return { uri: image, registryId, region, repositoryName, tag: tag ?? (digest ? undefined : 'latest'), digest };
}

/** Splits an image reference into the repository part and its tag or digest. */
export function splitImage(image: string): { repository: string; tag: string | undefined; digest: string | undefined } {
  const at = image.indexOf('@');
  if (at >= 0) return { repository: image.slice(0, at), tag: undefined, digest: image.slice(at + 1) };
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  if (colon < 0) return { repository: image, tag: undefined, digest: undefined };
  return { repository: image.slice(0, colon), tag: image.slice(colon + 1), digest: undefined };
}

/** The same image with another tag; a digest pin is replaced by the tag. */
export function withTag(image: string, tag: string): string {
  return `${splitImage(image).repository}:${tag}`;
}

/** A valid Docker tag: what --tag accepts. */
export function isValidTag(tag: string): boolean {
  return /^[\w][\w.-]{0,127}$/.test(tag);
}
