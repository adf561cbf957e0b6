/**
 * What the ECS task runner asks of the emulator's registry: turn a container
 * image reference into something it can run locally.
 */

/** An image pushed with `ecs-rollout emulator push IMAGE -- COMMAND...`. */
export interface LocalImage {
  repositoryName: string;
  imageTag: string | undefined;
  imageDigest: string;
  /** The program and arguments a container of this image runs. */
  command: string[];
  /** Working directory the program runs in. */
  cwd: string | undefined;
}

export type ImageResolution =
  | { ok: true; image: LocalImage }
  | { ok: false; reason: string };

export interface ImageRegistry {
  /**
   * Resolves `image` (an ECR URI such as
   * 123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1, or a bare `app:v1`)
   * in the given account and region. A miss carries the reason a container
   * runtime would give, for CannotPullContainerError.
   */
  resolve(image: string, scope: { account: string; region: string }): ImageResolution;
}

/** The media type of the manifests `emulator push` writes with PutImage. */
export const LOCAL_IMAGE_MEDIA_TYPE = 'application/vnd.ecs-rollout.local-process.v1+json';

/** The manifest body `emulator push` stores: which command a container of the image runs. */
export interface LocalImageManifest {
  schemaVersion: 2;
  mediaType: typeof LOCAL_IMAGE_MEDIA_TYPE;
  command: string[];
  cwd?: string;
}
