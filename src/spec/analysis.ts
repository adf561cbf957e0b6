import { StandardUnit } from '@aws-sdk/client-cloudwatch';
import { z } from 'zod';
import { parseCondition, type Condition } from '../analysis/condition.js';
import { parseJsonPath, type PathStep } from '../analysis/json-path.js';
import { checkTemplate, stringsIn } from '../analysis/template.js';
import { parseDuration } from './duration.js';

/**
 * The `analysis:` section of ecs-rollout.yaml: named analyses, each a list
 * of metrics measured by one provider (cloudwatch, alarm, http, command) and
 * judged by Argo Rollouts' rules. Conditions, JSON paths and {{variables}}
 * are checked here, so a typo is a config error naming the field, never a
 * surprise in the middle of a deployment.
 *
 * CloudWatch queries keep GetMetricData's MetricDataQuery shape with the
 * field names in camelCase (id, expression, metricStat.metric.metricName,
 * dimensions[].name/value, returnData), like every other field of the file.
 */

export const FAILURE_ACTIONS = ['rollback', 'pause', 'report'] as const;
export const PREEXISTING_ALARM_ACTIONS = ['stop', 'proceed'] as const;
export type PreexistingAlarmAction = (typeof PREEXISTING_ALARM_ACTIONS)[number];

/** Argo Rollouts' defaults, which users of analysis already know; errorRetryInterval is Argo's DefaultErrorRetryInterval. */
export const METRIC_DEFAULTS = {
  count: 1,
  failureLimit: 0,
  inconclusiveLimit: 0,
  consecutiveErrorLimit: 4,
  consecutiveSuccessLimit: 0,
  errorRetryIntervalMs: 10_000,
  cloudWatchPeriodSeconds: 60,
  httpTimeoutMs: 10_000,
  commandTimeoutMs: 30_000,
} as const;

/** How long one AWS call of a provider may take, for budgets (the SDK's own retries included). */
export const AWS_CALL_BUDGET_MS = 30_000;

const CLOUDWATCH_ID = /^[a-z][A-Za-z0-9_]*$/;

const duration = z.custom<string>((value) => typeof value === 'string' && parseDuration(value) !== undefined, {
  error: (issue) => `expected a duration like 30s or 5m, got ${quote(issue.input)}`,
});
const text = z.string({ error: (issue) => `expected text, got ${quote(issue.input)}` }).min(1, 'must not be empty');
const wholeNumber = (min: number, why = `must be ${min} or more`) =>
  z.number({ error: (issue) => `expected a whole number, got ${quote(issue.input)}` }).int('expected a whole number').min(min, why);

/** A strict mapping whose errors list its fields. */
function mapping<T extends z.ZodRawShape>(shape: T, expected: string) {
  const fields = Object.keys(shape).join(', ');
  return z.strictObject(shape, { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field; the fields are ${fields}` : `expected ${expected}, got ${quote(issue.input)}`) });
}

const cloudWatchQuery = mapping(
  {
    id: text,
    expression: text.optional(),
    metricStat: mapping(
      {
        metric: mapping(
          {
            namespace: text,
            metricName: text,
            dimensions: z.array(mapping({ name: text, value: text }, 'a dimension mapping with name and value'), { error: 'expected a list of dimensions' }).optional(),
          },
          'a metric mapping with namespace, metricName and dimensions',
        ),
        stat: text,
        period: wholeNumber(1, 'must be at least 1 second').optional(),
        unit: z.enum(Object.values(StandardUnit) as [StandardUnit, ...StandardUnit[]], { error: (issue) => `expected a CloudWatch unit such as Count, Seconds or Percent, got ${quote(issue.input)}` }).optional(),
      },
      'a metricStat mapping with metric and stat',
    ).optional(),
    label: text.optional(),
    returnData: z.boolean({ error: (issue) => `expected true or false, got ${quote(issue.input)}` }).optional(),
    period: wholeNumber(1, 'must be at least 1 second').optional(),
    accountId: text.optional(),
  },
  'a query mapping with id and expression or metricStat',
);

const cloudWatchProvider = mapping(
  {
    /** Seconds; the period of metricStat queries that set none. */
    period: wholeNumber(1, 'must be at least 1 second').optional(),
    /** How far back each measurement looks; default max(interval, period). */
    window: duration.optional(),
    queries: z.array(cloudWatchQuery, { error: 'expected a list of GetMetricData queries' }).min(1, 'needs at least one query'),
  },
  'a cloudwatch mapping with queries',
);

const alarmProvider = mapping({ names: z.array(text, { error: 'expected a list of alarm names' }).min(1, 'name at least one alarm') }, 'an alarm mapping with names');

const httpProvider = mapping(
  {
    url: text,
    jsonPath: text.optional(),
    timeout: duration.optional(),
    headers: z.record(z.string(), z.string({ error: 'expected text' }), { error: 'expected a mapping of header names to values' }).optional(),
  },
  'an http mapping with url',
);

const commandProvider = mapping({ run: text, jsonPath: text.optional(), timeout: duration.optional() }, 'a command mapping with run');

const PROVIDERS = ['cloudwatch', 'alarm', 'http', 'command'] as const;

const metricSchema = mapping(
  {
    name: text,
    interval: duration.optional(),
    count: wholeNumber(1).optional(),
    initialDelay: duration.optional(),
    successCondition: text.optional(),
    failureCondition: text.optional(),
    failureLimit: wholeNumber(-1, 'must be 0 or more, or -1 to turn it off').optional(),
    inconclusiveLimit: wholeNumber(0).optional(),
    consecutiveErrorLimit: wholeNumber(0).optional(),
    consecutiveSuccessLimit: wholeNumber(0).optional(),
    errorRetryInterval: duration.optional(),
    compare: z.enum(['stable'], { error: (issue) => `expected stable, got ${quote(issue.input)}` }).optional(),
    cloudwatch: cloudWatchProvider.optional(),
    alarm: alarmProvider.optional(),
    http: httpProvider.optional(),
    command: commandProvider.optional(),
  },
  'a metric mapping with name and one of cloudwatch, alarm, http or command',
).superRefine((metric, ctx) => {
  const issue = (path: Array<string | number>, message: string): void => ctx.addIssue({ code: 'custom', path, message });
  const providers = PROVIDERS.filter((p) => metric[p] !== undefined);
  if (providers.length !== 1) {
    issue([], providers.length === 0 ? 'a metric needs one provider: cloudwatch, alarm, http or command' : `a metric has exactly one provider; this one has ${providers.join(' and ')}`);
    return;
  }
  if ((metric.count ?? 1) > 1 && metric.interval === undefined) issue(['interval'], `count ${metric.count} needs an interval between the measurements`);
  if (metric.failureLimit === -1 && !metric.consecutiveSuccessLimit) issue(['failureLimit'], 'failureLimit -1 turns failures off; then set consecutiveSuccessLimit so the metric can still pass or fail');
  if (metric.compare && metric.alarm) issue(['compare'], 'compare: stable reruns a templated query for the stable revision; an alarm has no query to rerun');
  if (metric.compare && metric.successCondition === undefined && metric.failureCondition === undefined) {
    issue(['compare'], 'compare: stable needs a successCondition or failureCondition that compares canary with stable, e.g. canary <= stable * 1.1');
  }

  const identifiers = metric.compare ? ['result', 'canary', 'stable'] : ['result'];
  for (const field of ['successCondition', 'failureCondition'] as const) {
    const source = metric[field];
    if (source === undefined) continue;
    const parsed = parseCondition(source, identifiers);
    if (!parsed.ok) issue([field], parsed.message);
  }
  if (metric.alarm && (metric.successCondition !== undefined || metric.failureCondition !== undefined)) {
    issue([metric.successCondition !== undefined ? 'successCondition' : 'failureCondition'], 'an alarm decides by its state (ALARM fails, OK passes, INSUFFICIENT_DATA is inconclusive); remove the condition');
  }

  const provider = providers[0] ?? 'command';
  const settings = metric[provider];
  if (provider !== 'alarm') {
    for (const { path, text: value } of stringsIn(settings)) {
      const checked = checkTemplate(value);
      if (!checked.ok) issue([provider, ...path], checked.message);
    }
  }
  const jsonPath = metric.http?.jsonPath ?? metric.command?.jsonPath;
  if (jsonPath !== undefined) {
    const parsed = parseJsonPath(jsonPath);
    if (!parsed.ok) issue([provider, 'jsonPath'], parsed.message);
  }
  if (metric.http && !/^https?:\/\//.test(metric.http.url)) issue(['http', 'url'], `expected an http:// or https:// URL, got '${metric.http.url}'`);
  if (metric.cloudwatch) checkQueries(metric.cloudwatch.queries, (path, message) => issue(['cloudwatch', 'queries', ...path], message));
});

/** GetMetricData's own rules, checked before AWS would refuse them mid-deployment. */
function checkQueries(queries: ReadonlyArray<z.infer<typeof cloudWatchQuery>>, issue: (path: Array<string | number>, message: string) => void): void {
  const ids = new Set<string>();
  queries.forEach((q, i) => {
    if (!CLOUDWATCH_ID.test(q.id)) issue([i, 'id'], `'${q.id}' is not a GetMetricData id: start with a lowercase letter, then letters, digits and _`);
    if (ids.has(q.id)) issue([i, 'id'], `id '${q.id}' is used twice`);
    ids.add(q.id);
    if ((q.expression === undefined) === (q.metricStat === undefined)) issue([i], 'a query needs exactly one of expression or metricStat');
  });
  // GetMetricData returns every query whose returnData is not false; a metric measures exactly one value.
  const returned = queries.filter((q) => q.returnData !== false).map((q) => q.id);
  if (returned.length !== 1) {
    issue([], returned.length === 0 ? 'one query must return data: leave returnData unset (it defaults to true) on the query that gives the result' : `exactly one query returns data, the result; set returnData: false on the others (${returned.join(', ')} all return data)`);
  }
}

const analysisSchema = mapping(
  {
    onFailure: z.enum(FAILURE_ACTIONS, { error: (issue) => `expected one of ${FAILURE_ACTIONS.join(', ')}, got ${quote(issue.input)}` }).optional(),
    preexistingAlarm: z.enum(PREEXISTING_ALARM_ACTIONS, { error: (issue) => `expected stop or proceed, got ${quote(issue.input)}` }).optional(),
    metrics: z.array(metricSchema, { error: 'expected a list of metrics' }).min(1, 'an analysis needs at least one metric'),
  },
  'an analysis mapping with metrics',
).superRefine((analysis, ctx) => {
  const seen = new Set<string>();
  analysis.metrics.forEach((m, i) => {
    if (seen.has(m.name)) ctx.addIssue({ code: 'custom', path: ['metrics', i, 'name'], message: `metric name '${m.name}' is used twice in this analysis` });
    seen.add(m.name);
  });
});

/** `analysis:` in ecs-rollout.yaml: analysis name -> analysis. */
export const analysisSectionSchema = z.record(z.string().min(1, 'an analysis needs a name'), analysisSchema, { error: (issue) => `expected a mapping of analysis names to analyses, got ${quote(issue.input)}` });

export type AnalysisSectionConfig = z.infer<typeof analysisSectionSchema>;
export type AnalysisConfig = z.infer<typeof analysisSchema>;
export type MetricConfig = z.infer<typeof metricSchema>;
export type CloudWatchQueryConfig = z.infer<typeof cloudWatchQuery>;

/** Argo's limits of one metric, as the assessment reads them. */
export interface MetricLimits {
  count: number;
  /** -1: failures are not counted (then consecutiveSuccessLimit decides). */
  failureLimit: number;
  inconclusiveLimit: number;
  consecutiveErrorLimit: number;
  /** 0: off. */
  consecutiveSuccessLimit: number;
}

export interface ParsedConditionSource {
  source: string;
  condition: Condition;
}

export type MetricProvider =
  | { kind: 'cloudwatch'; periodSeconds: number; windowMs: number; queries: CloudWatchQueryConfig[] }
  | { kind: 'alarm'; names: string[] }
  | { kind: 'http'; url: string; jsonPath: PathStep[] | undefined; jsonPathText: string | undefined; timeoutMs: number; headers: Record<string, string> }
  | { kind: 'command'; run: string; jsonPath: PathStep[] | undefined; jsonPathText: string | undefined; timeoutMs: number };

/** A metric as the runner runs it: durations in milliseconds, defaults filled in, conditions parsed. */
export interface AnalysisMetric {
  name: string;
  intervalMs: number;
  initialDelayMs: number;
  errorRetryIntervalMs: number;
  successCondition: ParsedConditionSource | undefined;
  failureCondition: ParsedConditionSource | undefined;
  limits: MetricLimits;
  compareWithStable: boolean;
  provider: MetricProvider;
}

export interface Analysis {
  name: string;
  onFailure: (typeof FAILURE_ACTIONS)[number];
  preexistingAlarm: PreexistingAlarmAction;
  metrics: AnalysisMetric[];
}

/** The analyses as the runner runs them. The section was validated when the file was read. */
export function resolveAnalyses(section: AnalysisSectionConfig | undefined): Map<string, Analysis> {
  return new Map(Object.entries(section ?? {}).map(([name, config]) => [name, resolveAnalysis(name, config)]));
}

export function resolveAnalysis(name: string, config: AnalysisConfig): Analysis {
  return {
    name,
    onFailure: config.onFailure ?? 'rollback',
    preexistingAlarm: config.preexistingAlarm ?? 'stop',
    metrics: config.metrics.map(resolveMetric),
  };
}

function resolveMetric(m: MetricConfig): AnalysisMetric {
  const identifiers = m.compare ? ['result', 'canary', 'stable'] : ['result'];
  const condition = (source: string | undefined): ParsedConditionSource | undefined => {
    if (source === undefined) return undefined;
    const parsed = parseCondition(source, identifiers);
    if (!parsed.ok) throw new Error(`condition '${source}' of metric ${m.name} was not validated: ${parsed.message}`);
    return { source, condition: parsed.condition };
  };
  const intervalMs = ms(m.interval) ?? 0;
  return {
    name: m.name,
    intervalMs,
    initialDelayMs: ms(m.initialDelay) ?? 0,
    errorRetryIntervalMs: ms(m.errorRetryInterval) ?? METRIC_DEFAULTS.errorRetryIntervalMs,
    successCondition: condition(m.successCondition),
    failureCondition: condition(m.failureCondition),
    limits: {
      count: m.count ?? METRIC_DEFAULTS.count,
      failureLimit: m.failureLimit ?? METRIC_DEFAULTS.failureLimit,
      inconclusiveLimit: m.inconclusiveLimit ?? METRIC_DEFAULTS.inconclusiveLimit,
      consecutiveErrorLimit: m.consecutiveErrorLimit ?? METRIC_DEFAULTS.consecutiveErrorLimit,
      consecutiveSuccessLimit: m.consecutiveSuccessLimit ?? METRIC_DEFAULTS.consecutiveSuccessLimit,
    },
    compareWithStable: m.compare === 'stable',
    provider: resolveProvider(m, intervalMs),
  };
}

function resolveProvider(m: MetricConfig, intervalMs: number): MetricProvider {
  if (m.cloudwatch) {
    const periodSeconds = m.cloudwatch.period ?? METRIC_DEFAULTS.cloudWatchPeriodSeconds;
    return { kind: 'cloudwatch', periodSeconds, windowMs: ms(m.cloudwatch.window) ?? Math.max(intervalMs, periodSeconds * 1000), queries: m.cloudwatch.queries };
  }
  if (m.alarm) return { kind: 'alarm', names: [...m.alarm.names] };
  const path = (text: string | undefined): PathStep[] | undefined => {
    if (text === undefined) return undefined;
    const parsed = parseJsonPath(text);
    return parsed.ok ? parsed.steps : undefined;
  };
  if (m.http) {
    return { kind: 'http', url: m.http.url, jsonPath: path(m.http.jsonPath), jsonPathText: m.http.jsonPath, timeoutMs: ms(m.http.timeout) ?? METRIC_DEFAULTS.httpTimeoutMs, headers: { ...m.http.headers } };
  }
  if (!m.command) throw new Error(`metric ${m.name} has no provider; the schema requires exactly one`);
  return { kind: 'command', run: m.command.run, jsonPath: path(m.command.jsonPath), jsonPathText: m.command.jsonPath, timeoutMs: ms(m.command.timeout) ?? METRIC_DEFAULTS.commandTimeoutMs };
}

/** The longest one measurement can take. */
export function measurementBudgetMs(provider: MetricProvider): number {
  switch (provider.kind) {
    case 'http':
    case 'command':
      return provider.timeoutMs;
    default:
      return AWS_CALL_BUDGET_MS;
  }
}

/**
 * The longest an analysis can run: every metric in parallel, each taking
 * its count of measurements and, between them, as many errors as its
 * consecutiveErrorLimit tolerates (errors do not count towards count), each
 * measurement taking its whole timeout. A PAUSE hook's timeout covers this.
 */
export function analysisBudgetMs(analysis: Analysis): number {
  return Math.max(
    0,
    ...analysis.metrics.map((m) => {
      const each = measurementBudgetMs(m.provider);
      const { count, consecutiveErrorLimit } = m.limits;
      const measurements = count * (each + m.intervalMs);
      const errors = (count + 1) * (consecutiveErrorLimit + 1) * (each + m.errorRetryIntervalMs);
      return m.initialDelayMs + measurements + errors;
    }),
  );
}

function ms(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseDuration(value);
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}

/** The longest each analysis can take, by name (the gates that name one size their PAUSE hooks by it). */
export function analysisBudgets(analyses: ReadonlyMap<string, Analysis>): Map<string, number> {
  return new Map([...analyses].map(([name, analysis]) => [name, analysisBudgetMs(analysis)]));
}
