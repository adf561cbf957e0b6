import { createHash } from 'node:crypto';
import type {
  BatchDeleteImageRequest, BatchDeleteImageResponse, BatchGetImageRequest, BatchGetImageResponse,
  CreateRepositoryRequest, CreateRepositoryResponse, DeleteRepositoryRequest, DeleteRepositoryResponse,
  DescribeImagesRequest, DescribeImagesResponse, DescribeRepositoriesRequest, DescribeRepositoriesResponse,
  ImageDetail, ImageFailure, ImageIdentifier, ListImagesRequest, ListImagesResponse, PutImageRequest,
  PutImageResponse, Repository,
} from '@aws-sdk/client-ecr';
import type { Clock } from '../../clock.js';
import { AwsError } from '../../errors.js';
import { fields } from '../../input-validation.js';
import type { RequestContext } from '../../request-context.js';
import type { Operation } from '../../service.js';
import { ecrRepositoryUri } from './image-reference.js';
import type { EcrStore, StoredImage, StoredRepository } from './store.js';

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

type Ops = {
  CreateRepository: Operation<CreateRepositoryRequest, CreateRepositoryResponse>;
  DescribeRepositories: Operation<DescribeRepositoriesRequest, DescribeRepositoriesResponse>;
  DeleteRepository: Operation<DeleteRepositoryRequest, DeleteRepositoryResponse>;
  PutImage: Operation<PutImageRequest, PutImageResponse>;
  DescribeImages: Operation<DescribeImagesRequest, DescribeImagesResponse>;
  ListImages: Operation<ListImagesRequest, ListImagesResponse>;
  BatchGetImage: Operation<BatchGetImageRequest, BatchGetImageResponse>;
  BatchDeleteImage: Operation<BatchDeleteImageRequest, BatchDeleteImageResponse>;
};

export function ecrOperations(store: EcrStore, clock: Clock): Ops {
  const repository = (ctx: RequestContext, name: string, registryId?: string): StoredRepository => {
    const repo = store.repositories(ctx).get(name);
    if (!repo) {
      throw new AwsError(
        'RepositoryNotFoundException',
        `The repository with name '${name}' does not exist in the registry with id '${registryId ?? ctx.account}'`,
      );
    }
    return repo;
  };

  return {
    CreateRepository(input, ctx) {
      const f = fields(input);
      const name = f.string('repositoryName');
      const tags = f.optionalObjectList<NonNullable<CreateRepositoryRequest['tags']>[number]>('tags') ?? [];
      if (!REPOSITORY_NAME.test(name) || name.length < 2 || name.length > 256) {
        throw new AwsError('InvalidParameterException', `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '${REPOSITORY_NAME.source}''`);
      }
      const repos = store.repositories(ctx);
      if (repos.has(name)) {
        throw new AwsError('RepositoryAlreadyExistsException', `The repository with name '${name}' already exists in the registry with id '${ctx.account}'`);
      }
      const repo: StoredRepository = {
        repositoryName: name,
        repositoryArn: `arn:aws:ecr:${ctx.region}:${ctx.account}:repository/${name}`,
        repositoryUri: ecrRepositoryUri(ctx.account, ctx.region, name),
        registryId: ctx.account,
        createdAt: new Date(clock.now()),
        imageTagMutability: input.imageTagMutability === 'IMMUTABLE' ? 'IMMUTABLE' : 'MUTABLE',
        tags: tags.map((t) => ({ Key: t.Key ?? '', Value: t.Value ?? '' })),
        images: [],
      };
      repos.set(name, repo);
      return { repository: repositoryView(repo) };
    },

    DescribeRepositories(input, ctx) {
      const names = fields(input).optionalStringList('repositoryNames');
      const repos = names
        ? names.map((name) => repository(ctx, name, input.registryId))
        : [...store.repositories(ctx).values()];
      return page(repos.map(repositoryView), input.maxResults, input.nextToken, (items, nextToken) => ({ repositories: items, nextToken }));
    },

    DeleteRepository(input, ctx) {
      const name = fields(input).string('repositoryName');
      const repo = repository(ctx, name, input.registryId);
      if (repo.images.length > 0 && !input.force) {
        throw new AwsError(
          'RepositoryNotEmptyException',
          `The repository with name '${name}' in registry with id '${ctx.account}' cannot be deleted because it still contains images`,
        );
      }
      store.repositories(ctx).delete(name);
      return { repository: repositoryView(repo) };
    },

    PutImage(input, ctx) {
      const f = fields(input);
      const repo = repository(ctx, f.string('repositoryName'), input.registryId);
      const manifest = f.string('imageManifest');
      const tag = f.optionalString('imageTag');
      if (tag !== undefined && !TAG.test(tag)) {
        throw new AwsError('InvalidParameterException', `Invalid parameter at 'imageTag' failed to satisfy constraint: 'must satisfy regular expression '${TAG.source}''`);
      }
      const mediaType = f.optionalString('imageManifestMediaType') ?? mediaTypeOf(manifest);
      const digest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
      if (input.imageDigest && input.imageDigest !== digest) {
        throw new AwsError('ImageDigestDoesNotMatchException', `The provided image digest '${input.imageDigest}' does not match the digest of the manifest '${digest}'`);
      }
      let image = repo.images.find((i) => i.imageDigest === digest);
      if (image && (tag === undefined || image.imageTags.includes(tag))) {
        throw new AwsError(
          'ImageAlreadyExistsException',
          `Image with digest '${digest}'${tag ? ` and tag '${tag}'` : ''} already exists in the repository with name '${repo.repositoryName}' in registry with id '${ctx.account}'`,
        );
      }
      if (tag !== undefined) {
        const holder = repo.images.find((i) => i.imageTags.includes(tag));
        if (holder && repo.imageTagMutability === 'IMMUTABLE') {
          throw new AwsError('ImageTagAlreadyExistsException', `The image tag '${tag}' already exists in the '${repo.repositoryName}' repository and cannot be overwritten because the repository is immutable.`);
        }
        if (holder) holder.imageTags = holder.imageTags.filter((t) => t !== tag);
      }
      if (!image) {
        image = {
          imageDigest: digest,
          imageTags: [],
          imageManifest: manifest,
          imageManifestMediaType: mediaType,
          imagePushedAt: new Date(clock.now()),
          imageSizeInBytes: Buffer.byteLength(manifest),
        };
        repo.images.push(image);
      }
      if (tag !== undefined) image.imageTags.push(tag);
      return {
        image: {
          registryId: ctx.account,
          repositoryName: repo.repositoryName,
          imageId: { imageDigest: digest, imageTag: tag },
          imageManifest: manifest,
          imageManifestMediaType: mediaType,
        },
      };
    },

    DescribeImages(input, ctx) {
      const f = fields(input);
      const repo = repository(ctx, f.string('repositoryName'), input.registryId);
      const imageIds = f.optionalObjectList<ImageIdentifier>('imageIds');
      const details = imageIds
        ? imageIds.map((id) => {
            const image = findImage(repo, id);
            if (!image) {
              throw new AwsError(
                'ImageNotFoundException',
                `The image with imageId {imageDigest:'${id.imageDigest ?? 'null'}', imageTag:'${id.imageTag ?? 'null'}'} does not exist within the repository with name '${repo.repositoryName}' in the registry with id '${ctx.account}'`,
              );
            }
            return image;
          })
        : repo.images.filter((i) => matchesTagStatus(i, input.filter?.tagStatus));
      return page(details.map((i) => imageDetail(repo, i)), input.maxResults, input.nextToken, (items, nextToken) => ({ imageDetails: items, nextToken }));
    },

    ListImages(input, ctx) {
      const repo = repository(ctx, fields(input).string('repositoryName'), input.registryId);
      const ids: ImageIdentifier[] = repo.images
        .filter((i) => matchesTagStatus(i, input.filter?.tagStatus))
        .flatMap((i) => (i.imageTags.length ? i.imageTags.map((t) => ({ imageDigest: i.imageDigest, imageTag: t })) : [{ imageDigest: i.imageDigest }]));
      return page(ids, input.maxResults, input.nextToken, (items, nextToken) => ({ imageIds: items, nextToken }));
    },

    BatchGetImage(input, ctx) {
      const f = fields(input);
      const repo = repository(ctx, f.string('repositoryName'), input.registryId);
      const images: NonNullable<BatchGetImageResponse['images']> = [];
      const failures: ImageFailure[] = [];
      for (const id of f.optionalObjectList<ImageIdentifier>('imageIds') ?? []) {
        const image = findImage(repo, id);
        if (image) {
          images.push({ registryId: ctx.account, repositoryName: repo.repositoryName, imageId: { imageDigest: image.imageDigest, imageTag: id.imageTag }, imageManifest: image.imageManifest, imageManifestMediaType: image.imageManifestMediaType });
        } else {
          failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
        }
      }
      return { images, failures };
    },

    BatchDeleteImage(input, ctx) {
      const f = fields(input);
      const repo = repository(ctx, f.string('repositoryName'), input.registryId);
      const imageIds: ImageIdentifier[] = [];
      const failures: ImageFailure[] = [];
      for (const id of f.optionalObjectList<ImageIdentifier>('imageIds') ?? []) {
        const image = findImage(repo, id);
        if (!image) {
          failures.push({ imageId: id, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
          continue;
        }
        if (id.imageTag && !id.imageDigest) {
          image.imageTags = image.imageTags.filter((t) => t !== id.imageTag);
          if (image.imageTags.length === 0) repo.images = repo.images.filter((i) => i !== image);
        } else {
          repo.images = repo.images.filter((i) => i !== image);
        }
        imageIds.push({ imageDigest: image.imageDigest, imageTag: id.imageTag });
      }
      return { imageIds, failures };
    },
  };
}

export function findImage(repo: StoredRepository, id: ImageIdentifier): StoredImage | undefined {
  return repo.images.find(
    (i) => (id.imageDigest === undefined || i.imageDigest === id.imageDigest) && (id.imageTag === undefined || i.imageTags.includes(id.imageTag)) && (id.imageDigest !== undefined || id.imageTag !== undefined),
  );
}

function matchesTagStatus(image: StoredImage, status: string | undefined): boolean {
  if (status === 'TAGGED') return image.imageTags.length > 0;
  if (status === 'UNTAGGED') return image.imageTags.length === 0;
  return true;
}

function repositoryView(repo: StoredRepository): Repository {
  return {
    repositoryArn: repo.repositoryArn,
    registryId: repo.registryId,
    repositoryName: repo.repositoryName,
    repositoryUri: repo.repositoryUri,
    createdAt: repo.createdAt,
    imageTagMutability: repo.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}

function imageDetail(repo: StoredRepository, image: StoredImage): ImageDetail {
  return {
    registryId: repo.registryId,
    repositoryName: repo.repositoryName,
    imageDigest: image.imageDigest,
    imageTags: image.imageTags.length ? [...image.imageTags] : undefined,
    imageSizeInBytes: image.imageSizeInBytes,
    imagePushedAt: image.imagePushedAt,
    imageManifestMediaType: image.imageManifestMediaType,
    imageStatus: 'ACTIVE',
  };
}

function mediaTypeOf(manifest: string): string {
  try {
    const parsed = JSON.parse(manifest) as { mediaType?: unknown };
    if (typeof parsed.mediaType === 'string') return parsed.mediaType;
  } catch {
    // Not JSON: ECR stores it all the same, with Docker's default media type.
  }
  return 'application/vnd.docker.distribution.manifest.v2+json';
}

/** ECR's nextToken is opaque; here it is the offset of the next item. */
function page<T, R>(items: T[], maxResults: number | undefined, nextToken: string | undefined, wrap: (items: T[], nextToken: string | undefined) => R): R {
  const start = nextToken ? Number.parseInt(Buffer.from(nextToken, 'base64').toString('utf8'), 10) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidParameterException', 'Invalid parameter at \'nextToken\': the token is not one this service issued');
  const size = maxResults ?? 100;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
  return wrap(slice, next);
}
