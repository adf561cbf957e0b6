import { createHash } from 'node:crypto';
import type {
  CreateFunctionRequest, DeleteFunctionRequest, FunctionConfiguration, GetFunctionRequest, GetFunctionResponse,
  InvocationRequest, InvocationResponse, ListFunctionsRequest, ListFunctionsResponse,
} from '@aws-sdk/client-lambda';
import type { Clock } from '../../clock.js';
import { AwsError } from '../../errors.js';
import { fields } from '../../input-validation.js';
import type { Operation } from '../../service.js';
import { functionArn, functionRef, NAME_PATTERN } from './arns.js';
import { errors } from './catalogue.js';
import type { LocalFunctions } from './function-plane.js';
import { localTarget } from './local-target.js';
import type { StoredFunction } from './model.js';
import type { LambdaStore, Scope } from './store.js';

/** Invoke's payload travels as the raw HTTP body; the route hands it over as text. */
export type InvokeInput = Omit<InvocationRequest, 'Payload'> & { Payload?: string };
export type InvokeOutput = Omit<InvocationResponse, 'Payload'> & { Payload: string };

export type LambdaOperations = {
  CreateFunction: Operation<CreateFunctionRequest, FunctionConfiguration>;
  GetFunction: Operation<GetFunctionRequest, GetFunctionResponse>;
  ListFunctions: Operation<ListFunctionsRequest, ListFunctionsResponse>;
  DeleteFunction: Operation<DeleteFunctionRequest, Record<string, never>>;
  Invoke: Operation<InvokeInput, InvokeOutput>;
};

const TIMEOUT_MAX_SECONDS = 900;
const MEMORY_MIN_MB = 128;
const MEMORY_MAX_MB = 10240;
const LIST_MAX_ITEMS = 50;

/** Lambda's LastModified: ISO 8601 with a +0000 offset. */
const lastModified = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

function integerIn(value: number | undefined, field: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw errors.validation(`Value '${value}' at '${field}' failed to satisfy constraint: Member must have value between ${min} and ${max}, inclusive`);
  }
  return value;
}

function stringMap(value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    throw errors.invalidValue(`${field} must be a map of strings.`);
  }
  return value as Record<string, string>;
}

export function lambdaOperations(store: LambdaStore, functions: LocalFunctions, clock: Clock): LambdaOperations {
  const scopeOf = (ctx: { account: string; region: string }): Scope => ({ account: ctx.account, region: ctx.region });
  const existing = (scope: Scope, ref: string): StoredFunction => {
    const fn = functions.lookup(scope, ref);
    if (!fn) throw errors.functionNotFound(functions.arnFor(scope, ref));
    return fn;
  };

  return {
    CreateFunction(input, ctx) {
      const f = fields(input);
      const scope = scopeOf(ctx);
      const { name, here } = functionRef(f.string('FunctionName'), scope);
      if (!NAME_PATTERN.test(name)) {
        throw errors.validation(`Value '${name}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64`);
      }
      if (!here) throw errors.invalidValue('The function ARN names another account or Region than the request.');
      const role = f.string('Role');
      if (input.Code === undefined || input.Code === null || typeof input.Code !== 'object') {
        throw errors.validation("Value null at 'code' failed to satisfy constraint: Member must not be null");
      }
      if (input.PackageType === 'Image') throw errors.invalidValue('The ecs-rollout emulator runs Zip package functions only (as local URLs or commands).');
      const variables = stringMap(input.Environment?.Variables, 'Environment.Variables');
      localTarget(variables);
      const all = store.functions(scope);
      if (all.has(name)) throw errors.functionExists(name);
      // Code.ZipFile is not run; its hash and size are kept so GetFunction reads as AWS's would.
      const zip = typeof input.Code.ZipFile === 'string' ? Buffer.from(input.Code.ZipFile as string, 'base64') : Buffer.alloc(0);
      const configuration: StoredFunction['configuration'] = {
        FunctionName: name,
        FunctionArn: functionArn(scope, name),
        Runtime: f.optionalString('Runtime') as FunctionConfiguration['Runtime'],
        Role: role,
        Handler: f.optionalString('Handler'),
        Description: f.optionalString('Description') ?? '',
        Timeout: integerIn(f.optionalNumber('Timeout'), 'timeout', 1, TIMEOUT_MAX_SECONDS, 3),
        MemorySize: integerIn(f.optionalNumber('MemorySize'), 'memorySize', MEMORY_MIN_MB, MEMORY_MAX_MB, 128),
        CodeSize: zip.length,
        CodeSha256: createHash('sha256').update(zip).digest('base64'),
        LastModified: lastModified(clock.now()),
        Version: '$LATEST',
        Environment: { Variables: variables },
        PackageType: 'Zip',
        Architectures: input.Architectures ?? ['x86_64'],
        State: 'Active',
        LastUpdateStatus: 'Successful',
        RevisionId: crypto.randomUUID(),
      };
      all.set(name, { configuration, tags: stringMap(input.Tags, 'Tags') });
      return configuration;
    },

    GetFunction(input, ctx) {
      const fn = existing(scopeOf(ctx), fields(input).string('FunctionName'));
      return { Configuration: fn.configuration, ...(Object.keys(fn.tags).length > 0 ? { Tags: fn.tags } : {}) };
    },

    ListFunctions(input, ctx) {
      const f = fields(input);
      const max = integerIn(f.optionalNumber('MaxItems'), 'maxItems', 1, 10000, LIST_MAX_ITEMS);
      const marker = f.optionalString('Marker');
      const sorted = [...store.functions(scopeOf(ctx)).values()].sort((a, b) => a.configuration.FunctionName.localeCompare(b.configuration.FunctionName));
      const start = marker ? sorted.findIndex((fn) => fn.configuration.FunctionName > marker) : 0;
      const pageItems = start < 0 ? [] : sorted.slice(start, start + max);
      const last = pageItems.at(-1);
      const more = start >= 0 && start + max < sorted.length;
      return { Functions: pageItems.map((fn) => fn.configuration), ...(more && last ? { NextMarker: last.configuration.FunctionName } : {}) };
    },

    DeleteFunction(input, ctx) {
      const scope = scopeOf(ctx);
      const fn = existing(scope, fields(input).string('FunctionName'));
      store.functions(scope).delete(fn.configuration.FunctionName);
      return {};
    },

    async Invoke(input, ctx) {
      const f = fields(input);
      const scope = scopeOf(ctx);
      const fn = existing(scope, f.string('FunctionName'));
      const type = f.optionalString('InvocationType') ?? 'RequestResponse';
      if (type === 'DryRun') return { StatusCode: 204, Payload: '' };
      if (type !== 'RequestResponse') {
        throw errors.invalidValue(`The ecs-rollout emulator invokes functions synchronously only (InvocationType RequestResponse or DryRun), not ${type}.`);
      }
      const payload = input.Payload ?? '';
      if (payload !== '') {
        try {
          JSON.parse(payload);
        } catch {
          throw new AwsError('InvalidRequestContentException', 'Could not parse request body into json: the payload is not valid JSON.');
        }
      }
      const result = await functions.run(scope, fn, payload, ctx.requestId);
      return {
        StatusCode: 200,
        ExecutedVersion: '$LATEST',
        ...(result.kind === 'function-error' ? { FunctionError: 'Unhandled' } : {}),
        Payload: result.payload,
      };
    },
  };
}
