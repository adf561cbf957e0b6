import type { Tag } from '@aws-sdk/client-ecs';
import type { TrafficRoute } from '../../spec/alb-canary.js';

/**
 * The canary's state, kept in AWS as tags so a killed CLI is re-run and
 * picks up from what AWS shows. Tag values allow only letters, digits,
 * spaces and `_ . : / = + - @` (256 characters at most), so the state is a
 * line of `key=value` words rather than JSON.
 *
 * Each tag has one writer, so no write overwrites another's:
 * - on the canary service, `ecs-rollout:canary` (the deploy that runs the
 *   canary) and `ecs-rollout:canary-route` (the rule or listener it moves);
 * - `ecs-rollout:canary-promote` (ecs-rollout promote) and
 *   `ecs-rollout:canary-abort` (ecs-rollout abort), which name the run they
 *   are for, so a marker left from an earlier canary never acts on a new one;
 * - on the stable service, `ecs-rollout:canary-service` names the canary
 *   service, so status, promote and abort find it from --service.
 */
export const TAG = {
  state: 'ecs-rollout:canary',
  route: 'ecs-rollout:canary-route',
  promote: 'ecs-rollout:canary-promote',
  abort: 'ecs-rollout:canary-abort',
  canaryService: 'ecs-rollout:canary-service',
} as const;

/** The tags that make up one canary on the canary service; removed together when it ends. */
export const CANARY_TAG_KEYS = [TAG.state, TAG.route, TAG.promote, TAG.abort] as const;

export const MAX_TAG_VALUE = 256;

/**
 * starting: the canary service is taking the new revision; step: running
 * steps[step - 1]; promoting: the stable service is taking it; finishing:
 * weights back to stable, canary scaling down; rolling-back: the same after a
 * failure or an abort.
 */
export const CANARY_PHASES = ['starting', 'step', 'promoting', 'finishing', 'rolling-back'] as const;
export type CanaryPhase = (typeof CANARY_PHASES)[number];

/** What a step is waiting on, when it waits. */
export const CANARY_WAITS = ['pause', 'promote', 'analysis'] as const;
export type CanaryWait = (typeof CANARY_WAITS)[number];

export interface CanaryState {
  /** The run's id: its start time in base 36 milliseconds. */
  run: string;
  /** The revision under test, "family:revision"; the stable service's previous one is `family:previousRevision`. */
  taskDefinition: string;
  previousRevision: number;
  stableService: string;
  /** 1-based number of the current step; 0 before the first. */
  step: number;
  totalSteps: number;
  /** Canary percent as last set and confirmed. */
  weight: number;
  phase: CanaryPhase;
  waiting: CanaryWait | undefined;
  /** End of a timed pause, epoch ms. */
  until: number | undefined;
  /** When the deploy last wrote the state (epoch ms): its heartbeat. */
  updatedAt: number;
  /** How often a running deploy rewrites the state, so readers can tell a live deploy from a killed one. */
  heartbeatMs: number;
  /** Who started it (user@host), as far as tag characters allow. */
  by: string;
}

export interface PromoteMarker {
  run: string;
  /** The step number promote was asked at. */
  step: number;
  at: number;
  by: string;
}

export interface AbortMarker {
  run: string;
  at: number;
  by: string;
}

export function runId(startedAt: number): string {
  return startedAt.toString(36);
}

export function runStartedAt(run: string): number {
  return parseInt(run, 36);
}

export function encodeState(s: CanaryState): string {
  const words = [
    'v1',
    `run=${s.run}`,
    `td=${s.taskDefinition}`,
    `prev=${s.previousRevision}`,
    `stable=${s.stableService}`,
    `step=${s.step}/${s.totalSteps}`,
    `w=${s.weight}`,
    `ph=${s.phase}`,
    ...(s.waiting ? [`do=${s.waiting}`] : []),
    ...(s.until !== undefined ? [`until=${compactTime(s.until)}`] : []),
    `at=${compactTime(s.updatedAt)}`,
    `hb=${Math.max(1, Math.round(s.heartbeatMs / 1000))}`,
  ];
  const head = words.join(' ');
  // Who started it is a courtesy: it gives way before the state would not fit.
  const by = safeWho(s.by).slice(0, Math.max(0, MAX_TAG_VALUE - head.length - 4));
  return by ? `${head} by=${by}` : head;
}

/** The state, or undefined when the value is not one this version wrote. */
export function decodeState(value: string | undefined): CanaryState | undefined {
  const words = wordsOf(value, 'v1');
  if (!words) return undefined;
  const [step, total] = (words.get('step') ?? '').split('/').map(Number);
  const phase = CANARY_PHASES.find((p) => p === words.get('ph'));
  const waiting = CANARY_WAITS.find((w) => w === words.get('do'));
  const updatedAt = parseCompactTime(words.get('at'));
  const run = words.get('run');
  const taskDefinition = words.get('td');
  const stableService = words.get('stable');
  const weight = Number(words.get('w'));
  const previousRevision = Number(words.get('prev'));
  const heartbeat = Number(words.get('hb'));
  if (!run || !taskDefinition || !stableService || !phase || updatedAt === undefined) return undefined;
  if (!isCount(step) || !isCount(total) || !isCount(weight) || !isCount(previousRevision) || !isCount(heartbeat)) return undefined;
  return {
    run,
    taskDefinition,
    previousRevision,
    stableService,
    step,
    totalSteps: total,
    weight,
    phase,
    waiting,
    until: parseCompactTime(words.get('until')),
    updatedAt,
    heartbeatMs: heartbeat * 1000,
    by: words.get('by') ?? '',
  };
}

export function encodePromote(m: PromoteMarker): string {
  return `run=${m.run} step=${m.step} at=${compactTime(m.at)} by=${safeWho(m.by).slice(0, 64)}`;
}

export function decodePromote(value: string | undefined): PromoteMarker | undefined {
  const words = wordsOf(value);
  const run = words?.get('run');
  const step = Number(words?.get('step'));
  const at = parseCompactTime(words?.get('at'));
  if (!words || !run || !isCount(step) || at === undefined) return undefined;
  return { run, step, at, by: words.get('by') ?? '' };
}

export function encodeAbort(m: AbortMarker): string {
  return `run=${m.run} at=${compactTime(m.at)} by=${safeWho(m.by).slice(0, 64)}`;
}

export function decodeAbort(value: string | undefined): AbortMarker | undefined {
  const words = wordsOf(value);
  const run = words?.get('run');
  const at = parseCompactTime(words?.get('at'));
  if (!words || !run || at === undefined) return undefined;
  return { run, at, by: words.get('by') ?? '' };
}

/** The route a `ecs-rollout:canary-route` tag names. */
export function routeFromArn(arn: string | undefined): TrafficRoute | undefined {
  if (!arn) return undefined;
  if (/:listener-rule\//.test(arn)) return { kind: 'rule', arn };
  if (/:listener\//.test(arn)) return { kind: 'listener', arn };
  return undefined;
}

export function tagValue(tags: readonly Tag[], key: string): string | undefined {
  return tags.find((t) => t.key === key)?.value;
}

/** Everything a reader needs from the canary service's tags. */
export interface CanaryRecord {
  state: CanaryState | undefined;
  route: TrafficRoute | undefined;
  promote: PromoteMarker | undefined;
  abort: AbortMarker | undefined;
}

export function readRecord(tags: readonly Tag[]): CanaryRecord {
  return {
    state: decodeState(tagValue(tags, TAG.state)),
    route: routeFromArn(tagValue(tags, TAG.route)),
    promote: decodePromote(tagValue(tags, TAG.promote)),
    abort: decodeAbort(tagValue(tags, TAG.abort)),
  };
}

/** The characters ECS allows in a tag value; anything else becomes `_`, and there are no spaces in a word. */
export function safeWho(who: string): string {
  return who.replace(/[^\p{L}\p{N}_.:/=+\-@]/gu, '_');
}

/** 2025-06-01T12:00:00.000Z -> 20250601T120000Z: ISO 8601's basic form, to the second. */
export function compactTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');
}

export function parseCompactTime(text: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

function wordsOf(value: string | undefined, version?: string): Map<string, string> | undefined {
  if (!value) return undefined;
  const parts = value.trim().split(/\s+/);
  if (version !== undefined && parts.shift() !== version) return undefined;
  const words = new Map<string, string>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq > 0) words.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return words;
}

function isCount(n: number | undefined): n is number {
  return n !== undefined && Number.isInteger(n) && n >= 0;
}
