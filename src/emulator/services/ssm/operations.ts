import type {
  DeleteParameterRequest, DeleteParameterResult, DescribeParametersRequest, DescribeParametersResult,
  GetParameterRequest, GetParameterResult, GetParametersRequest, GetParametersResult, Parameter, ParameterMetadata,
  ParameterStringFilter, ParameterTier, ParameterType, PutParameterRequest, PutParameterResult, Tag,
} from '@aws-sdk/client-ssm';
import type { Clock } from '../../clock.js';
import { AwsError } from '../../errors.js';
import { fields } from '../../input-validation.js';
import type { RequestContext } from '../../request-context.js';
import type { Operation } from '../../service.js';
import { errors } from './catalogue.js';
import type { StoredParameter, StoredParameterVersion } from './model.js';
import { checkName, checkNewName, parameterArn, parameterRef } from './parameter-names.js';
import type { ParameterStore } from './store.js';

export type SsmOperations = {
  PutParameter: Operation<PutParameterRequest, PutParameterResult>;
  GetParameter: Operation<GetParameterRequest, GetParameterResult>;
  GetParameters: Operation<GetParametersRequest, GetParametersResult>;
  DeleteParameter: Operation<DeleteParameterRequest, DeleteParameterResult>;
  DescribeParameters: Operation<DescribeParametersRequest, DescribeParametersResult>;
};

const TYPES: readonly ParameterType[] = ['SecureString', 'StringList', 'String'];
const TIERS: readonly string[] = ['Standard', 'Advanced', 'Intelligent-Tiering'];
const DATA_TYPES: readonly string[] = ['text', 'aws:ec2:image', 'aws:ssm:integration'];
const STANDARD_MAX_VALUE = 4096;
const ADVANCED_MAX_VALUE = 8192;
const MAX_VERSIONS = 100;
const MAX_GET_PARAMETERS = 10;
const MAX_DESCRIBE_RESULTS = 50;
const DEFAULT_KEY_ID = 'alias/aws/ssm';

/**
 * A SecureString read without WithDecryption shows ciphertext. The emulator
 * encrypts nothing: this stand-in is base64 text that is not the value, so a
 * caller that forgets WithDecryption sees a wrong value, as on AWS.
 */
const ciphertext = (version: StoredParameterVersion): string =>
  Buffer.from(`ecs-rollout-emulated-kms:${version.KeyId ?? DEFAULT_KEY_ID}:${version.Value}`).toString('base64');

function parameterView(scope: RequestContext, p: StoredParameter, version: StoredParameterVersion, selector: string | undefined, decrypt: boolean): Parameter {
  return {
    Name: p.Name,
    Type: version.Type,
    Value: version.Type === 'SecureString' && !decrypt ? ciphertext(version) : version.Value,
    Version: version.Version,
    ...(selector !== undefined ? { Selector: `:${selector}` } : {}),
    LastModifiedDate: version.LastModifiedDate,
    ARN: parameterArn(scope, p.Name),
    DataType: version.DataType,
  };
}

function metadataView(scope: RequestContext, p: StoredParameter): ParameterMetadata {
  const v = current(p);
  return {
    Name: p.Name,
    ARN: parameterArn(scope, p.Name),
    Type: v.Type,
    ...(v.KeyId !== undefined ? { KeyId: v.KeyId } : {}),
    LastModifiedDate: v.LastModifiedDate,
    LastModifiedUser: v.LastModifiedUser,
    ...(v.Description !== undefined ? { Description: v.Description } : {}),
    ...(v.AllowedPattern !== undefined ? { AllowedPattern: v.AllowedPattern } : {}),
    Version: v.Version,
    Tier: v.Tier,
    Policies: [],
    DataType: v.DataType,
  };
}

const current = (p: StoredParameter): StoredParameterVersion => p.versions[p.versions.length - 1] as StoredParameterVersion;

function readTags(input: PutParameterRequest): Tag[] {
  const tags = fields(input).optionalObjectList<Record<string, unknown>>('Tags') ?? [];
  return tags.map((t, i) => {
    if (typeof t.Key !== 'string' || typeof t.Value !== 'string') {
      throw errors.validation(`Value at 'tags.${i + 1}.member' failed to satisfy constraint: Key and Value must be strings`);
    }
    return { Key: t.Key, Value: t.Value };
  });
}

/** One ParameterStringFilter of DescribeParameters as a predicate. */
function parameterFilter(filter: ParameterStringFilter): (p: StoredParameter) => boolean {
  const f = fields(filter);
  const key = f.string('Key');
  const option = f.optionalString('Option');
  const values = f.optionalStringList('Values') ?? [];
  const options = (allowed: string[], fallback: string): string => {
    const chosen = option ?? fallback;
    if (!allowed.includes(chosen)) throw errors.invalidFilterOption(key, chosen);
    return chosen;
  };
  const equalsAny = (value: string | undefined) => values.includes(value ?? '');
  switch (key) {
    case 'Name': {
      const how = options(['Equals', 'BeginsWith', 'Contains'], 'Equals');
      return (p) => values.some((v) => (how === 'Equals' ? p.Name === v : how === 'BeginsWith' ? p.Name.startsWith(v) : p.Name.includes(v)));
    }
    case 'Path': {
      const how = options(['OneLevel', 'Recursive'], 'OneLevel');
      return (p) =>
        values.some((v) => {
          const base = v.endsWith('/') ? v : `${v}/`;
          if (!p.Name.startsWith(base)) return false;
          return how === 'Recursive' || !p.Name.slice(base.length).includes('/');
        });
    }
    case 'Type':
      options(['Equals'], 'Equals');
      return (p) => equalsAny(current(p).Type);
    case 'KeyId':
      options(['Equals'], 'Equals');
      return (p) => equalsAny(current(p).KeyId);
    case 'DataType':
      options(['Equals'], 'Equals');
      return (p) => equalsAny(current(p).DataType);
    case 'Tier':
      options(['Equals'], 'Equals');
      return (p) => equalsAny(current(p).Tier);
    default: {
      if (key.startsWith('tag:')) {
        options(['Equals'], 'Equals');
        const tagKey = key.slice('tag:'.length);
        return (p) => p.Tags.some((t) => t.Key === tagKey && (values.length === 0 || values.includes(t.Value ?? '')));
      }
      throw errors.invalidFilterKey(key);
    }
  }
}

export function ssmOperations(store: ParameterStore, clock: Clock): SsmOperations {
  /** The parameter and version a GetParameter(s) name selects, or undefined when there is none. */
  const lookup = (ctx: RequestContext, ref: string): { p: StoredParameter; version: StoredParameterVersion; selector: string | undefined } | undefined => {
    const { name, selector, here } = parameterRef(ref, ctx);
    const p = here ? store.parameters(ctx).get(name) : undefined;
    if (!p) return undefined;
    if (selector === undefined) return { p, version: current(p), selector };
    if (!/^\d+$/.test(selector)) throw errors.notEmulated(`Parameter labels (selector :${selector})`);
    const version = p.versions.find((v) => v.Version === Number(selector));
    if (!version) throw errors.versionNotFound(name, selector);
    return { p, version, selector };
  };

  return {
    PutParameter(input, ctx) {
      const f = fields(input);
      const name = f.string('Name');
      checkNewName(name);
      const value = f.optionalString('Value');
      if (value === undefined || value === '') {
        throw errors.validation(`Value ${value === undefined ? 'null' : "''"} at 'value' failed to satisfy constraint: Member must ${value === undefined ? 'not be null' : 'have length greater than or equal to 1'}`);
      }
      const type = f.optionalString('Type');
      if (type !== undefined && !TYPES.includes(type as ParameterType)) {
        throw errors.validation(`Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [${TYPES.join(', ')}]`);
      }
      const tier = f.optionalString('Tier');
      if (tier !== undefined && !TIERS.includes(tier)) {
        throw errors.validation(`Value '${tier}' at 'tier' failed to satisfy constraint: Member must satisfy enum value set: [${TIERS.join(', ')}]`);
      }
      const dataType = f.optionalString('DataType');
      if (dataType !== undefined && !DATA_TYPES.includes(dataType)) throw errors.unsupportedDataType(dataType);
      const overwrite = f.optionalBoolean('Overwrite') ?? false;
      const tags = readTags(input);
      if (overwrite && tags.length > 0) throw errors.tagsWithOverwrite();
      if (f.optionalString('Policies') !== undefined) throw errors.notEmulated('Parameter policies (Policies)');
      const pattern = f.optionalString('AllowedPattern');
      if (pattern !== undefined) {
        let regex: RegExp;
        try {
          regex = new RegExp(pattern);
        } catch (err) {
          throw errors.invalidPattern(`The allowedPattern is not a valid regular expression: ${(err as Error).message}`);
        }
        if (!regex.test(value)) throw errors.patternMismatch(pattern);
      }

      const parameters = store.parameters(ctx);
      const existing = parameters.get(name);
      if (existing && !overwrite) throw errors.exists();
      const previous = existing ? current(existing) : undefined;
      const resolvedType = (type as ParameterType | undefined) ?? previous?.Type;
      if (!resolvedType) throw errors.typeRequired();
      // Intelligent-Tiering picks Standard while the value fits; a parameter once Advanced stays Advanced.
      const wantsAdvanced = tier === 'Advanced' || previous?.Tier === 'Advanced' || (tier === 'Intelligent-Tiering' && value.length > STANDARD_MAX_VALUE);
      const resolvedTier: ParameterTier = wantsAdvanced ? 'Advanced' : 'Standard';
      const limit = resolvedTier === 'Advanced' ? ADVANCED_MAX_VALUE : STANDARD_MAX_VALUE;
      if (value.length > limit) {
        if (resolvedTier === 'Standard') throw errors.valueTooLong(STANDARD_MAX_VALUE);
        throw errors.validation(`Value at 'value' failed to satisfy constraint: Member must have length less than or equal to ${ADVANCED_MAX_VALUE}`);
      }
      const description = f.optionalString('Description') ?? previous?.Description;
      const keyId = resolvedType === 'SecureString' ? (f.optionalString('KeyId') ?? previous?.KeyId ?? DEFAULT_KEY_ID) : undefined;
      const version: StoredParameterVersion = {
        Version: (previous?.Version ?? 0) + 1,
        Type: resolvedType,
        Value: value,
        LastModifiedDate: new Date(clock.now()),
        LastModifiedUser: `arn:aws:iam::${ctx.account}:root`,
        ...(description !== undefined ? { Description: description } : {}),
        ...((pattern ?? previous?.AllowedPattern) !== undefined ? { AllowedPattern: pattern ?? previous?.AllowedPattern } : {}),
        ...(keyId !== undefined ? { KeyId: keyId } : {}),
        Tier: resolvedTier,
        DataType: dataType ?? previous?.DataType ?? 'text',
      };
      if (existing) {
        existing.versions.push(version);
        if (existing.versions.length > MAX_VERSIONS) existing.versions.shift();
      } else {
        parameters.set(name, { Name: name, versions: [version], Tags: tags });
      }
      return { Version: version.Version, Tier: version.Tier };
    },

    GetParameter(input, ctx) {
      const f = fields(input);
      const found = lookup(ctx, f.string('Name'));
      if (!found) throw errors.notFound();
      return { Parameter: parameterView(ctx, found.p, found.version, found.selector, f.optionalBoolean('WithDecryption') ?? false) };
    },

    GetParameters(input, ctx) {
      const f = fields(input);
      const names = f.optionalStringList('Names');
      if (!names) throw errors.validation("Value null at 'names' failed to satisfy constraint: Member must not be null");
      if (names.length < 1 || names.length > MAX_GET_PARAMETERS) {
        throw errors.validation(`Value '[${names.join(', ')}]' at 'names' failed to satisfy constraint: Member must have length ${names.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_GET_PARAMETERS}`}`);
      }
      const decrypt = f.optionalBoolean('WithDecryption') ?? false;
      const parameters: Parameter[] = [];
      const invalid: string[] = [];
      for (const ref of new Set(names)) {
        let found: ReturnType<typeof lookup>;
        try {
          found = lookup(ctx, ref);
        } catch (err) {
          // A version that does not exist is an invalid name here, not an error for the whole call.
          if (!(err instanceof AwsError) || err.code !== 'ParameterVersionNotFound') throw err;
          found = undefined;
        }
        if (found) parameters.push(parameterView(ctx, found.p, found.version, found.selector, decrypt));
        else invalid.push(ref);
      }
      return { Parameters: parameters, InvalidParameters: invalid };
    },

    DeleteParameter(input, ctx) {
      const name = fields(input).string('Name');
      checkName(name);
      const parameters = store.parameters(ctx);
      if (!parameters.delete(name)) throw errors.notFound();
      return {};
    },

    DescribeParameters(input, ctx) {
      const f = fields(input);
      const legacy = f.optionalObjectList<{ Key?: string; Values?: string[] }>('Filters') ?? [];
      const filters = f.optionalObjectList<ParameterStringFilter>('ParameterFilters') ?? [];
      if (legacy.length > 0 && filters.length > 0) throw errors.notEmulated('Filters together with ParameterFilters');
      if (f.optionalBoolean('Shared')) throw errors.notEmulated('Shared parameters (Shared)');
      // The deprecated Filters (Name, Type, KeyId) read as ParameterFilters: Name as BeginsWith, the others as Equals.
      const predicates = [
        ...legacy.map((l) => parameterFilter({ Key: l.Key, Option: l.Key === 'Name' ? 'BeginsWith' : 'Equals', Values: l.Values })),
        ...filters.map((filter) => parameterFilter(filter)),
      ];
      const max = f.optionalNumber('MaxResults') ?? MAX_DESCRIBE_RESULTS;
      if (!Number.isInteger(max) || max < 1 || max > MAX_DESCRIBE_RESULTS) {
        throw errors.validation(`Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and ${MAX_DESCRIBE_RESULTS}`);
      }
      const token = f.optionalString('NextToken');
      const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(start) || start < 0) throw errors.invalidNextToken();
      const matching = [...store.parameters(ctx).values()]
        .filter((p) => predicates.every((matches) => matches(p)))
        .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0));
      const page = matching.slice(start, start + max);
      const next = start + max < matching.length ? Buffer.from(String(start + max)).toString('base64url') : undefined;
      return { Parameters: page.map((p) => metadataView(ctx, p)), ...(next ? { NextToken: next } : {}) };
    },
  };
}
