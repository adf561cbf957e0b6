import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseDuration } from './duration.js';
import { RolloutError } from './errors.js';
import { analysisSectionSchema } from './analysis.js';
import { strategySchema } from './strategy.js';

export const DEFAULT_CONFIG_FILE = 'ecs-rollout.yaml';

const duration = z.custom<string>(
  (value) => typeof value === 'string' && parseDuration(value) !== undefined,
  { error: (issue) => `expected a duration like 90s or 15m, got ${quote(issue.input)}` },
);
const name = z.string({ error: (issue) => `expected a name, got ${quote(issue.input)}` }).min(1, 'must not be empty');

/** Defaults a project keeps beside its code, overridden by flags. */
export const configFileSchema = z.strictObject(
  {
    cluster: name.optional(),
    service: name.optional(),
    container: name.optional(),
    region: name.optional(),
    endpointUrl: z.url({ error: (issue) => `expected a URL like http://127.0.0.1:4577, got ${quote(issue.input)}` }).optional(),
    timeout: duration.optional(),
    pollInterval: duration.optional(),
    desiredCount: z
      .number({ error: (issue) => `expected a whole number of tasks, got ${quote(issue.input)}` })
      .int('expected a whole number of tasks')
      .min(0, 'must be 0 or more')
      .optional(),
    output: z.enum(['text', 'json'], { error: (issue) => `expected text or json, got ${quote(issue.input)}` }).optional(),
    /** Where deploy keeps its deployment log (JSON lines of every event). */
    log: z.string({ error: (issue) => `expected a file path, got ${quote(issue.input)}` }).min(1, 'must not be empty').optional(),
    strategy: strategySchema.optional(),
    analysis: analysisSectionSchema.optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field; the fields are ${FIELDS}` : `expected a mapping of settings, got ${quote(issue.input)}`) },
).superRefine((config, ctx) => {
  // A gate that names an analysis must find it in the same file.
  const defined = Object.keys(config.analysis ?? {});
  (config.strategy?.gates ?? []).forEach((gate, i) => {
    if (gate.analysis === undefined || defined.includes(gate.analysis)) return;
    ctx.addIssue({
      code: 'custom',
      path: ['strategy', 'gates', i, 'analysis'],
      message: `no analysis named '${gate.analysis}' in the analysis: section (${defined.length ? `defined: ${defined.join(', ')}` : 'it defines none'})`,
    });
  });
});

export type ConfigFile = z.infer<typeof configFileSchema>;
const FIELDS = 'cluster, service, container, region, endpointUrl, timeout, pollInterval, desiredCount, output, log, strategy, analysis';

/**
 * Reads the config file. An explicit path must exist; the default file is
 * optional. Errors name the file and the field.
 */
export async function loadConfigFile(options: { path?: string; cwd: string }): Promise<{ path?: string; config: ConfigFile }> {
  const path = resolve(options.cwd, options.path ?? DEFAULT_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && options.path === undefined) return { config: {} };
    throw new RolloutError('InvalidConfig', `cannot read config file ${options.path ?? path}: ${(err as Error).message}`);
  }
  return { path, config: parseConfigText(text, options.path ?? basename(path)) };
}

/** Parses and validates config text; `label` names the file in messages. */
export function parseConfigText(text: string, label: string): ConfigFile {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new RolloutError('InvalidConfig', `${label}: not valid YAML: ${(err as Error).message}`);
  }
  const result = configFileSchema.safeParse(data ?? {});
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = [...issue.path.map(String), ...keys].join('.');
    return `${label}: ${path ? `${path}: ` : ''}${issue.message}`;
  });
  throw new RolloutError('InvalidConfig', lines.join('\n'));
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value) ?? String(value);
}
