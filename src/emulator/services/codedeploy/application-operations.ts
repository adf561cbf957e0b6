import { randomUUID } from 'node:crypto';
import type {
  BatchGetApplicationsInput, BatchGetApplicationsOutput, CreateApplicationInput, CreateApplicationOutput, DeleteApplicationInput,
  GetApplicationInput, GetApplicationOutput, ListApplicationsInput, ListApplicationsOutput, Tag, UpdateApplicationInput,
} from '@aws-sdk/client-codedeploy';
import type { Clock } from '../../clock.js';
import type { Operation } from '../../service.js';
import { errors } from './catalogue.js';
import { applicationName, existingApplication, page, scopeOf } from './inputs.js';
import type { CodeDeployStore } from './store.js';

type Empty = Record<string, never>;

export type ApplicationOperations = {
  CreateApplication: Operation<CreateApplicationInput, CreateApplicationOutput>;
  GetApplication: Operation<GetApplicationInput, GetApplicationOutput>;
  BatchGetApplications: Operation<BatchGetApplicationsInput, BatchGetApplicationsOutput>;
  ListApplications: Operation<ListApplicationsInput, ListApplicationsOutput>;
  UpdateApplication: Operation<UpdateApplicationInput, Empty>;
  DeleteApplication: Operation<DeleteApplicationInput, Empty>;
};

const PLATFORMS = ['Server', 'Lambda', 'ECS'];
const BATCH_MAX = 100;

function tags(value: unknown): Tag[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((t) => typeof t === 'object' && t !== null && typeof (t as Tag).Key === 'string')) {
    throw errors.invalidTags();
  }
  return (value as Tag[]).map((t) => ({ Key: t.Key, Value: t.Value ?? '' }));
}

export function applicationOperations(store: CodeDeployStore, clock: Clock): ApplicationOperations {
  return {
    CreateApplication(input, ctx) {
      const scope = scopeOf(store, ctx);
      const name = applicationName(input.applicationName);
      // AWS's default compute platform is Server.
      const platform = input.computePlatform ?? 'Server';
      if (!PLATFORMS.includes(platform)) throw errors.invalidComputePlatform(String(platform));
      if (platform !== 'ECS') throw errors.platformNotEmulated(platform);
      if (scope.applications.has(name)) throw errors.applicationExists(name);
      const applicationId = randomUUID();
      scope.applications.set(name, {
        info: { applicationId, applicationName: name, createTime: new Date(clock.now()), linkedToGitHub: false, computePlatform: 'ECS' },
        tags: tags(input.tags),
      });
      return { applicationId };
    },

    GetApplication(input, ctx) {
      return { application: existingApplication(scopeOf(store, ctx), applicationName(input.applicationName)).info };
    },

    BatchGetApplications(input, ctx) {
      const scope = scopeOf(store, ctx);
      const names = input.applicationNames ?? [];
      if (!Array.isArray(names)) throw errors.applicationNameRequired();
      if (names.length > BATCH_MAX) throw errors.batchLimit();
      return { applicationsInfo: names.map((n) => existingApplication(scope, applicationName(n)).info) };
    },

    ListApplications(input, ctx) {
      const { items, nextToken } = page([...scopeOf(store, ctx).applications.keys()], input.nextToken);
      return { applications: items, ...(nextToken ? { nextToken } : {}) };
    },

    UpdateApplication(input, ctx) {
      const scope = scopeOf(store, ctx);
      const current = existingApplication(scope, applicationName(input.applicationName));
      if (input.newApplicationName === undefined || input.newApplicationName === null) return {};
      const next = applicationName(input.newApplicationName);
      const from = current.info.applicationName;
      if (next === from) return {};
      if (scope.applications.has(next)) throw errors.applicationExists(next);
      scope.applications.delete(from);
      current.info.applicationName = next;
      scope.applications.set(next, current);
      // The groups follow their application, keeping their ids.
      const groups = scope.groups.get(from);
      scope.groups.delete(from);
      if (groups) {
        for (const g of groups.values()) g.applicationName = next;
        scope.groups.set(next, groups);
      }
      return {};
    },

    DeleteApplication(input, ctx) {
      const scope = scopeOf(store, ctx);
      const name = applicationName(input.applicationName);
      // The API reference lists no not-found error here: deleting what is gone succeeds.
      scope.applications.delete(name);
      scope.groups.delete(name);
      return {};
    },
  };
}
