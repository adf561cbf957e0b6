import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import type { EcrImageReference } from '../engine/image.js';
import type { ImageLookup, ImageRegistryPort } from '../engine/ports.js';

/** Image existence checks against Amazon ECR. */
export class EcrImageRegistry implements ImageRegistryPort {
  constructor(private readonly clientFor: (region: string) => ECRClient) {}

  async findImage(image: EcrImageReference, signal?: AbortSignal): Promise<ImageLookup> {
    const imageId = image.digest ? { imageDigest: image.digest } : { imageTag: image.tag ?? 'latest' };
    try {
      const out = await this.clientFor(image.region).send(
        new DescribeImagesCommand({ registryId: image.registryId, repositoryName: image.repositoryName, imageIds: [imageId] }),
        { abortSignal: signal },
      );
      const found = out.imageDetails?.[0];
      return found ? { found: true, digest: found.imageDigest } : { found: false, missing: 'image' };
    } catch (err) {
      if (err instanceof Error && err.name === 'ImageNotFoundException') return { found: false, missing: 'image' };
      if (err instanceof Error && err.name === 'RepositoryNotFoundException') return { found: false, missing: 'repository' };
      throw err;
    }
  }
}
