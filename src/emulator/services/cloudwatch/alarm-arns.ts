import type { Scope } from './alarm-store.js';

export const alarmArn = (scope: Scope, name: string): string => `arn:aws:cloudwatch:${scope.region}:${scope.account}:alarm:${name}`;
