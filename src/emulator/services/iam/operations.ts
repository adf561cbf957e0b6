import { randomInt } from 'node:crypto';
import type {
  CreateRoleRequest, CreateRoleResponse, DeleteRoleRequest, GetRoleRequest, GetRoleResponse, ListRolesRequest,
  ListRolesResponse, Role, Tag,
} from '@aws-sdk/client-iam';
import type { Clock } from '../../clock.js';
import type { Operation } from '../../service.js';
import { constraintViolation, errors } from './catalogue.js';
import type { StoredRole } from './model.js';
import type { IamStore } from './store.js';

export type IamOperations = {
  CreateRole: Operation<CreateRoleRequest, CreateRoleResponse>;
  GetRole: Operation<GetRoleRequest, GetRoleResponse>;
  DeleteRole: Operation<DeleteRoleRequest, Record<string, never>>;
  ListRoles: Operation<ListRolesRequest, ListRolesResponse>;
};

/** IAM's documented patterns and limits for the members these operations read. */
const ROLE_NAME = { pattern: /^[\w+=,.@-]+$/, text: '[\\w+=,.@-]+', max: 64 };
const PATH = /^(\/|\/[\u0021-\u007E]+\/)$/;
const PATH_PREFIX = /^\/[\u0021-\u007F]*$/;
const DESCRIPTION = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u;
const MAX_TAGS = 50;
const DEFAULT_SESSION_SECONDS = 3600;
const MAX_SESSION_SECONDS = 43200;
const DEFAULT_LIST_ITEMS = 100;

/** IAM returns every policy document URL-encoded (RFC 3986); clients decode it (botocore turns it into a dict). */
export const encodePolicy = (document: string): string =>
  encodeURIComponent(document).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Role ids are "AROA" and 17 characters of IAM's unique-id alphabet. */
function roleId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let id = 'AROA';
  for (let i = 0; i < 17; i += 1) id += alphabet[randomInt(alphabet.length)];
  return id;
}

function optionalText(value: unknown, member: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw constraintViolation(member, value, 'Member must be a string');
  return value;
}

function requiredText(value: unknown, member: string): string {
  const text = optionalText(value, member);
  if (text === undefined) throw constraintViolation(member, undefined, 'Member must not be null');
  return text;
}

function roleName(value: unknown): string {
  const name = requiredText(value, 'roleName');
  if (name.length < 1) throw constraintViolation('roleName', name, 'Member must have length greater than or equal to 1');
  if (name.length > ROLE_NAME.max) throw constraintViolation('roleName', name, `Member must have length less than or equal to ${ROLE_NAME.max}`);
  if (!ROLE_NAME.pattern.test(name)) throw constraintViolation('roleName', name, `Member must satisfy regular expression pattern: ${ROLE_NAME.text}`);
  return name;
}

function integerIn(value: unknown, member: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw constraintViolation(member, value, 'Member must be an integer');
  if (value < min) throw constraintViolation(member, value, `Member must have value greater than or equal to ${min}`);
  if (value > max) throw constraintViolation(member, value, `Member must have value less than or equal to ${max}`);
  return value;
}

/**
 * A trust policy must be a JSON object; a statement may not name resources
 * (AWS: "Has prohibited field Resource"). Principals and actions are not
 * checked: the emulator never evaluates policies.
 */
function checkTrustPolicy(document: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(document);
  } catch {
    throw errors.malformedPolicy('This policy contains invalid Json');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw errors.malformedPolicy('This policy contains invalid Json');
  const statement = (parsed as { Statement?: unknown }).Statement;
  const statements = Array.isArray(statement) ? statement : statement === undefined ? [] : [statement];
  for (const s of statements) {
    if (typeof s !== 'object' || s === null) continue;
    for (const field of ['Resource', 'NotResource']) {
      if (field in s) throw errors.malformedPolicy(`Has prohibited field ${field}`);
    }
  }
}

function readTags(value: unknown): Tag[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw constraintViolation('tags', value, 'Member must be a list');
  if (value.length > MAX_TAGS) throw constraintViolation('tags', `[${value.length} tags]`, `Member must have length less than or equal to ${MAX_TAGS}`);
  const tags = value.map((tag: unknown, i) => {
    const t = (typeof tag === 'object' && tag !== null ? tag : {}) as Record<string, unknown>;
    const key = requiredText(t.Key, `tags.${i + 1}.member.key`);
    const tagValue = requiredText(t.Value ?? '', `tags.${i + 1}.member.value`);
    if (key.length > 128 || !TAG_KEY.test(key)) {
      throw constraintViolation(`tags.${i + 1}.member.key`, key, 'Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    }
    if (tagValue.length > 256) throw constraintViolation(`tags.${i + 1}.member.value`, tagValue, 'Member must have length less than or equal to 256');
    return { Key: key, Value: tagValue };
  });
  const keys = new Set(tags.map((t) => t.Key.toLowerCase()));
  if (keys.size !== tags.length) throw errors.invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  return tags;
}

/** The role as CreateRole returns it: no MaxSessionDuration or RoleLastUsed (AWS's own example shows none). */
function createdView(role: StoredRole): Role {
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: role.CreateDate,
    AssumeRolePolicyDocument: encodePolicy(role.AssumeRolePolicyDocument),
    ...(role.Description !== undefined ? { Description: role.Description } : {}),
    ...(role.PermissionsBoundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: role.PermissionsBoundary } } : {}),
    ...(role.Tags.length > 0 ? { Tags: role.Tags } : {}),
  };
}

/** ListRoles returns a subset of a role's attributes: no tags, permissions boundary or last use. */
function listedView(role: StoredRole): Role {
  const { Tags: _tags, PermissionsBoundary: _boundary, ...rest } = createdView(role);
  return { ...rest, MaxSessionDuration: role.MaxSessionDuration };
}

function fullView(role: StoredRole): Role {
  return { ...createdView(role), MaxSessionDuration: role.MaxSessionDuration, RoleLastUsed: {} };
}

export function iamOperations(store: IamStore, clock: Clock): IamOperations {
  const existing = (account: string, name: string): StoredRole => {
    const role = store.roles(account).get(name.toLowerCase());
    if (!role) throw errors.noSuchRole(name);
    return role;
  };

  return {
    CreateRole(input, ctx) {
      const name = roleName(input.RoleName);
      const path = optionalText(input.Path, 'path') ?? '/';
      if (path.length > 512 || !PATH.test(path)) throw errors.invalidPath();
      const document = requiredText(input.AssumeRolePolicyDocument, 'assumeRolePolicyDocument');
      if (document.length < 1 || document.length > 131072) {
        throw constraintViolation('assumeRolePolicyDocument', document.slice(0, 100), 'Member must have length between 1 and 131072');
      }
      checkTrustPolicy(document);
      const description = optionalText(input.Description, 'description');
      if (description !== undefined && (description.length > 1000 || !DESCRIPTION.test(description))) {
        throw constraintViolation('description', description, 'Member must have length less than or equal to 1000 and contain only printable characters');
      }
      const maxSession = integerIn(input.MaxSessionDuration, 'maxSessionDuration', DEFAULT_SESSION_SECONDS, MAX_SESSION_SECONDS);
      const boundary = optionalText(input.PermissionsBoundary, 'permissionsBoundary');
      const tags = readTags(input.Tags);
      const roles = store.roles(ctx.account);
      if (roles.has(name.toLowerCase())) throw errors.roleExists(name);
      const role: StoredRole = {
        RoleName: name,
        RoleId: roleId(),
        Arn: `arn:aws:iam::${ctx.account}:role${path}${name}`,
        Path: path,
        // IAM shows creation times to the second.
        CreateDate: new Date(Math.floor(clock.now() / 1000) * 1000),
        AssumeRolePolicyDocument: document,
        Description: description,
        MaxSessionDuration: maxSession ?? DEFAULT_SESSION_SECONDS,
        PermissionsBoundary: boundary,
        Tags: tags,
      };
      roles.set(name.toLowerCase(), role);
      return { Role: createdView(role) };
    },

    GetRole(input, ctx) {
      return { Role: fullView(existing(ctx.account, roleName(input.RoleName))) };
    },

    DeleteRole(input, ctx) {
      const role = existing(ctx.account, roleName(input.RoleName));
      store.roles(ctx.account).delete(role.RoleName.toLowerCase());
      return {};
    },

    ListRoles(input, ctx) {
      const prefix = optionalText(input.PathPrefix, 'pathPrefix') ?? '/';
      if (prefix.length > 512 || !PATH_PREFIX.test(prefix)) throw errors.invalidPathPrefix();
      const max = integerIn(input.MaxItems, 'maxItems', 1, 1000) ?? DEFAULT_LIST_ITEMS;
      const marker = optionalText(input.Marker, 'marker');
      const after = marker === undefined ? undefined : Buffer.from(marker, 'base64url').toString('utf8');
      if (marker !== undefined && (marker === '' || after === '')) throw errors.invalidInput('Invalid Marker.');
      const matching = [...store.roles(ctx.account).entries()]
        .filter(([key, role]) => role.Path.startsWith(prefix) && (after === undefined || key > after))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const page = matching.slice(0, max);
      const truncated = matching.length > max;
      const last = page.at(-1);
      return {
        Roles: page.map(([, role]) => listedView(role)),
        IsTruncated: truncated,
        ...(truncated && last ? { Marker: Buffer.from(last[0]).toString('base64url') } : {}),
      };
    },
  };
}
