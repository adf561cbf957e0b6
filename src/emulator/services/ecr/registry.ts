import type { ImageRegistry, ImageResolution, LocalImageManifest } from './image-registry.js';
import { LOCAL_IMAGE_MEDIA_TYPE } from './image-registry.js';
import { ecrRepositoryUri, parseImageReference } from './image-reference.js';
import { findImage } from './operations.js';
import type { EcrStore } from './store.js';

/**
 * Resolves task images against the emulated ECR: an ECR URI is looked up in
 * the account and region it names, a bare `repo:tag` in the caller's. Misses
 * carry the words a container runtime uses for a pull that found nothing.
 */
export function createImageRegistry(store: EcrStore): ImageRegistry {
  return {
    resolve(image, scope): ImageResolution {
      const ref = parseImageReference(image);
      const where = ref.ecr ?? scope;
      const canonical = `${ecrRepositoryUri(where.account, where.region, ref.repositoryName)}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
      const notFound = `pull image manifest has been retried 1 time(s): failed to resolve ref ${canonical}: ${canonical}: not found`;
      const repo = store.repositories(where).get(ref.repositoryName);
      const stored = repo && findImage(repo, { imageTag: ref.tag, imageDigest: ref.digest });
      if (!repo || !stored) return { ok: false, reason: notFound };
      if (stored.imageManifestMediaType !== LOCAL_IMAGE_MEDIA_TYPE) {
        return {
          ok: false,
          reason: `image ${canonical} has no local command to run (media type ${stored.imageManifestMediaType}): push it with \`ecs-rollout emulator push ${canonical} -- COMMAND [ARGS...]\``,
        };
      }
      let manifest: LocalImageManifest;
      try {
        manifest = JSON.parse(stored.imageManifest) as LocalImageManifest;
      } catch {
        return { ok: false, reason: `image ${canonical} has a manifest that is not valid JSON` };
      }
      if (!Array.isArray(manifest.command) || manifest.command.length === 0 || !manifest.command.every((c) => typeof c === 'string')) {
        return { ok: false, reason: `image ${canonical} has no command in its manifest` };
      }
      return {
        ok: true,
        image: {
          repositoryName: ref.repositoryName,
          imageTag: ref.tag,
          imageDigest: stored.imageDigest,
          command: manifest.command,
          cwd: typeof manifest.cwd === 'string' ? manifest.cwd : undefined,
        },
      };
    },
  };
}
