import { randomInt, randomUUID } from 'node:crypto';
import type {
  CreateSecretRequest, CreateSecretResponse, DeleteSecretRequest, DeleteSecretResponse, DescribeSecretRequest,
  DescribeSecretResponse, Filter, GetSecretValueRequest, GetSecretValueResponse, ListSecretsRequest,
  ListSecretsResponse, SecretListEntry, Tag,
} from '@aws-sdk/client-secrets-manager';
import type { Clock } from '../../clock.js';
import { AwsError } from '../../errors.js';
import { fields } from '../../input-validation.js';
import type { RequestContext } from '../../request-context.js';
import type { Operation } from '../../service.js';
import { errors } from './catalogue.js';
import type { StoredSecret, StoredSecretVersion } from './model.js';
import { findSecret, secretArn } from './secret-id.js';
import type { SecretsStore } from './store.js';

/** SecretBinary travels as base64 text in awsJson; the operations keep it so. */
type Binary<T> = Omit<T, 'SecretBinary'> & { SecretBinary?: string };

export type SecretsManagerOperations = {
  CreateSecret: Operation<Binary<CreateSecretRequest>, CreateSecretResponse>;
  DescribeSecret: Operation<DescribeSecretRequest, DescribeSecretResponse>;
  GetSecretValue: Operation<GetSecretValueRequest, Binary<GetSecretValueResponse>>;
  DeleteSecret: Operation<DeleteSecretRequest, DeleteSecretResponse>;
  ListSecrets: Operation<ListSecretsRequest, ListSecretsResponse>;
};

const NAME = /^[a-zA-Z0-9/_+=.@!-]{1,512}$/;
const CURRENT = 'AWSCURRENT';
const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_RECOVERY_DAYS = 30;
const MAX_LIST_RESULTS = 100;
const FILTER_KEYS = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'] as const;

function readTags(input: { Tags?: unknown }): Tag[] {
  const tags = fields(input).optionalObjectList<Record<string, unknown>>('Tags') ?? [];
  return tags.map((t, i) => {
    if (typeof t.Key !== 'string' || (t.Value !== undefined && typeof t.Value !== 'string')) {
      throw new AwsError('ValidationException', `1 validation error detected: Value at 'tags.${i + 1}.member' failed to satisfy constraint: Key and Value must be strings`);
    }
    return { Key: t.Key, Value: (t.Value as string | undefined) ?? '' };
  });
}

/** The value a CreateSecret carries, if any: a string or base64 binary, never both. */
function readValue(input: Binary<CreateSecretRequest>): Pick<StoredSecretVersion, 'SecretString' | 'SecretBinary'> | undefined {
  const f = fields(input);
  const text = f.optionalString('SecretString');
  const binary = f.optionalString('SecretBinary');
  if (text !== undefined && binary !== undefined) throw errors.bothValues();
  if (text !== undefined) return { SecretString: text };
  if (binary !== undefined) return { SecretBinary: binary };
  return undefined;
}

const sameValue = (version: StoredSecretVersion, value: ReturnType<typeof readValue>): boolean =>
  version.SecretString === value?.SecretString && version.SecretBinary === value?.SecretBinary;

function versionsToStages(secret: StoredSecret): Record<string, string[]> | undefined {
  if (secret.versions.length === 0) return undefined;
  return Object.fromEntries(secret.versions.map((v) => [v.VersionId, [...v.VersionStages]]));
}

/** Members AWS leaves out when they have no value (DescribeSecret shows no Tags, dates or versions it does not have). */
function describeView(secret: StoredSecret): DescribeSecretResponse {
  const stages = versionsToStages(secret);
  return {
    ARN: secret.ARN,
    Name: secret.Name,
    ...(secret.Description !== undefined ? { Description: secret.Description } : {}),
    ...(secret.KmsKeyId !== undefined ? { KmsKeyId: secret.KmsKeyId } : {}),
    LastChangedDate: secret.LastChangedDate,
    ...(secret.LastAccessedDate ? { LastAccessedDate: secret.LastAccessedDate } : {}),
    ...(secret.DeletedDate ? { DeletedDate: secret.DeletedDate } : {}),
    ...(secret.Tags.length > 0 ? { Tags: secret.Tags } : {}),
    ...(stages ? { VersionIdsToStages: stages } : {}),
    CreatedDate: secret.CreatedDate,
  };
}

function listView(secret: StoredSecret): SecretListEntry {
  const { VersionIdsToStages, ...rest } = describeView(secret);
  return { ...rest, ...(VersionIdsToStages ? { SecretVersionsToStages: VersionIdsToStages } : {}) };
}

/** One ListSecrets filter value against a secret; a leading "!" negates it. Case rules from the API reference. */
function matchesFilter(secret: StoredSecret, key: string, rawValue: string): boolean {
  const negated = rawValue.startsWith('!');
  const value = negated ? rawValue.slice(1) : rawValue;
  const prefixOf = (texts: Array<string | undefined>, caseSensitive: boolean) =>
    texts.some((t) => t !== undefined && (caseSensitive ? t.startsWith(value) : t.toLowerCase().startsWith(value.toLowerCase())));
  let match: boolean;
  switch (key) {
    case 'name':
      match = prefixOf([secret.Name], true);
      break;
    case 'description':
      match = prefixOf([secret.Description], false);
      break;
    case 'tag-key':
      match = prefixOf(secret.Tags.map((t) => t.Key), true);
      break;
    case 'tag-value':
      match = prefixOf(secret.Tags.map((t) => t.Value), true);
      break;
    case 'all': {
      const words = value.toLowerCase().split(/\s+/).filter(Boolean);
      const haystack = [secret.Name, secret.Description ?? '', ...secret.Tags.flatMap((t) => [t.Key ?? '', t.Value ?? ''])].join(' ').toLowerCase();
      match = words.every((w) => haystack.includes(w));
      break;
    }
    default:
      // primary-region and owning-service: no emulated secret is replicated or managed by another service.
      match = false;
  }
  return negated ? !match : match;
}

function readFilters(input: ListSecretsRequest): Array<{ key: string; values: string[] }> {
  const filters = fields(input).optionalObjectList<Filter>('Filters') ?? [];
  return filters.map((filter, i) => {
    const key = filter.Key as string | undefined;
    if (!key || !(FILTER_KEYS as readonly string[]).includes(key)) {
      throw new AwsError(
        'ValidationException',
        `1 validation error detected: Value '${String(key)}' at 'filters.${i + 1}.member.key' failed to satisfy constraint: Member must satisfy enum value set: [${FILTER_KEYS.join(', ')}]`,
      );
    }
    const values = fields(filter).optionalStringList('Values') ?? [];
    return { key, values };
  });
}

const sortKeys: Record<string, (s: StoredSecret) => number | string> = {
  'created-date': (s) => s.CreatedDate.getTime(),
  'last-changed-date': (s) => s.LastChangedDate.getTime(),
  'last-accessed-date': (s) => s.LastAccessedDate?.getTime() ?? 0,
  name: (s) => s.Name,
};

export function secretsManagerOperations(store: SecretsStore, clock: Clock, markDirty: () => void): SecretsManagerOperations {
  const now = (): Date => new Date(clock.now());
  const secretsOf = (ctx: RequestContext) => store.secrets(ctx, clock.now());
  const existing = (ctx: RequestContext, secretId: string): StoredSecret => {
    const secret = findSecret(secretsOf(ctx), secretId, ctx);
    if (!secret) throw errors.notFound();
    return secret;
  };

  return {
    CreateSecret(input, ctx) {
      const f = fields(input);
      const name = f.string('Name');
      if (!NAME.test(name)) throw errors.invalidName();
      const value = readValue(input);
      const token = f.optionalString('ClientRequestToken');
      const description = f.optionalString('Description');
      const kmsKeyId = f.optionalString('KmsKeyId');
      const tags = readTags(input);
      if ((f.optionalObjectList('AddReplicaRegions') ?? []).length > 0) throw errors.notEmulated('Secret replication (AddReplicaRegions)');
      const secrets = secretsOf(ctx);
      const found = secrets.get(name);
      if (found?.DeletedDate) throw errors.scheduledForDeletion();
      if (found) {
        // A retried request (same ClientRequestToken, same value) succeeds again, as Secrets Manager's idempotency promises.
        const retried = token !== undefined && found.versions.find((v) => v.VersionId === token);
        if (retried && sameValue(retried, value)) return { ARN: found.ARN, Name: found.Name, VersionId: retried.VersionId };
        throw errors.exists(name);
      }
      const created = now();
      const secret: StoredSecret = {
        Name: name,
        ARN: secretArn(ctx, name, randomInt),
        ...(description !== undefined ? { Description: description } : {}),
        ...(kmsKeyId !== undefined ? { KmsKeyId: kmsKeyId } : {}),
        Tags: tags,
        CreatedDate: created,
        LastChangedDate: created,
        versions: value ? [{ VersionId: token ?? randomUUID(), ...value, CreatedDate: created, VersionStages: [CURRENT] }] : [],
      };
      secrets.set(name, secret);
      const version = secret.versions[0];
      return { ARN: secret.ARN, Name: secret.Name, ...(version ? { VersionId: version.VersionId } : {}) };
    },

    DescribeSecret(input, ctx) {
      return describeView(existing(ctx, fields(input).string('SecretId')));
    },

    GetSecretValue(input, ctx) {
      const f = fields(input);
      const secret = existing(ctx, f.string('SecretId'));
      if (secret.DeletedDate) throw errors.markedForDeletion();
      const versionId = f.optionalString('VersionId');
      const stage = f.optionalString('VersionStage') ?? (versionId === undefined ? CURRENT : undefined);
      const version = secret.versions.find(
        (v) => (versionId === undefined || v.VersionId === versionId) && (stage === undefined || v.VersionStages.includes(stage)),
      );
      if (!version) throw versionId !== undefined ? errors.valueNotFoundForVersion(versionId) : errors.valueNotFoundForStage(stage ?? CURRENT);
      // LastAccessedDate is a date without a time: midnight UTC of the day of the read.
      const today = new Date(Math.floor(clock.now() / DAY_MS) * DAY_MS);
      if (secret.LastAccessedDate?.getTime() !== today.getTime()) {
        secret.LastAccessedDate = today;
        markDirty();
      }
      return {
        ARN: secret.ARN,
        Name: secret.Name,
        VersionId: version.VersionId,
        ...(version.SecretString !== undefined ? { SecretString: version.SecretString } : {}),
        ...(version.SecretBinary !== undefined ? { SecretBinary: version.SecretBinary } : {}),
        VersionStages: [...version.VersionStages],
        CreatedDate: version.CreatedDate,
      };
    },

    DeleteSecret(input, ctx) {
      const f = fields(input);
      const secretId = f.string('SecretId');
      const force = f.optionalBoolean('ForceDeleteWithoutRecovery') ?? false;
      const window = f.optionalNumber('RecoveryWindowInDays');
      if (force && window !== undefined) throw errors.forceWithWindow();
      if (window !== undefined && (!Number.isInteger(window) || window < 7 || window > 30)) throw errors.recoveryWindow();
      const secret = existing(ctx, secretId);
      const at = now();
      if (force) {
        secretsOf(ctx).delete(secret.Name);
        return { ARN: secret.ARN, Name: secret.Name, DeletionDate: at };
      }
      if (secret.DeletedDate) throw errors.markedForDeletion();
      secret.DeletedDate = at;
      secret.DeletionDate = new Date(at.getTime() + (window ?? DEFAULT_RECOVERY_DAYS) * DAY_MS);
      return { ARN: secret.ARN, Name: secret.Name, DeletionDate: secret.DeletionDate };
    },

    ListSecrets(input, ctx) {
      const f = fields(input);
      const includeDeleted = f.optionalBoolean('IncludePlannedDeletion') ?? false;
      const max = f.optionalNumber('MaxResults') ?? MAX_LIST_RESULTS;
      if (!Number.isInteger(max) || max < 1 || max > MAX_LIST_RESULTS) {
        throw new AwsError('ValidationException', `1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${MAX_LIST_RESULTS}`);
      }
      const sortBy = f.optionalString('SortBy') ?? 'created-date';
      const sortKey = sortKeys[sortBy];
      if (!sortKey) {
        throw new AwsError('ValidationException', `1 validation error detected: Value '${sortBy}' at 'sortBy' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(sortKeys).join(', ')}]`);
      }
      const order = f.optionalString('SortOrder') ?? 'asc';
      if (order !== 'asc' && order !== 'desc') {
        throw new AwsError('ValidationException', `1 validation error detected: Value '${order}' at 'sortOrder' failed to satisfy constraint: Member must satisfy enum value set: [asc, desc]`);
      }
      const filters = readFilters(input);
      const token = f.optionalString('NextToken');
      const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0) throw errors.invalidNextToken();
      const sign = order === 'asc' ? 1 : -1;
      const matching = [...secretsOf(ctx).values()]
        .filter((s) => includeDeleted || !s.DeletedDate)
        .filter((s) => filters.every(({ key, values }) => values.some((v) => matchesFilter(s, key, v))))
        .sort((a, b) => {
          const x = sortKey(a);
          const y = sortKey(b);
          return (x < y ? -1 : x > y ? 1 : a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0) * sign;
        });
      const page = matching.slice(start, start + max);
      const next = start + max < matching.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
      return { SecretList: page.map(listView), ...(next ? { NextToken: next } : {}) };
    },
  };
}
