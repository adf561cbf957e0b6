/**
 * `{{name}}` placeholders in metric queries, URLs and commands. Names are
 * checked against the catalogue when the config file is read (a typo is a
 * config error) and filled in when an analysis runs (a name the running
 * driver does not provide ends the analysis with an Error naming it). Pure.
 */

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Every name the drivers may provide. The alb canary executor provides the
 * target groups, load balancer and URLs; native-strategy gates provide what
 * ECS's service deployment shows (see docs/analysis.md).
 */
export const TEMPLATE_VARIABLES = [
  'cluster',
  'service',
  'stage',
  'step',
  'loadBalancer',
  'canary.service',
  'stable.service',
  'canary.targetGroup',
  'stable.targetGroup',
  'canary.taskDefinition',
  'stable.taskDefinition',
  'canary.weight',
  'canary.url',
  'stable.url',
] as const;

/** The placeholders in `text`, or a message saying what is malformed or unknown. */
export function checkTemplate(text: string, known: readonly string[] = TEMPLATE_VARIABLES): { ok: true; names: string[] } | { ok: false; message: string } {
  const names: string[] = [];
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!known.includes(name)) {
      return { ok: false, message: `unknown variable {{${name}}}; the variables are ${known.join(', ')}` };
    }
    names.push(name);
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) return { ok: false, message: `unbalanced {{ or }} in '${text}'; write a variable as {{name}}` };
  return { ok: true, names };
}

export type Rendered = { ok: true; text: string } | { ok: false; message: string };

/** Fills the placeholders of `text` from `variables`; the first missing name is an error naming it and what is available. */
export function renderTemplate(text: string, variables: Readonly<Record<string, string>>): Rendered {
  let missing: string | undefined;
  const rendered = text.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = variables[name];
    if (value === undefined) {
      missing ??= name;
      return '';
    }
    return value;
  });
  if (missing !== undefined) {
    const available = Object.keys(variables).sort();
    return { ok: false, message: `variable {{${missing}}} is not available here; this deployment provides ${available.length ? available.join(', ') : 'no variables'}` };
  }
  return { ok: true, text: rendered };
}

/**
 * The variables as the stable revision sees them: each canary.X replaced by
 * stable.X, so one query measures either side. A canary.X without a stable.X
 * is left out, so using it is an error rather than measuring the canary twice.
 */
export function stableView(variables: Readonly<Record<string, string>>): Record<string, string> {
  const view: Record<string, string> = {};
  for (const [name, value] of Object.entries(variables)) {
    if (name.startsWith('canary.')) continue;
    view[name] = value;
  }
  for (const [name, value] of Object.entries(variables)) {
    if (!name.startsWith('stable.')) continue;
    view[`canary.${name.slice('stable.'.length)}`] = value;
  }
  return view;
}

/** Applies `render` to every string inside a JSON-like value, keeping its shape; the first failure wins. */
export function renderDeep<T>(value: T, variables: Readonly<Record<string, string>>): { ok: true; value: T } | { ok: false; message: string } {
  let failure: string | undefined;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const r = renderTemplate(v, variables);
      if (!r.ok) failure ??= r.message;
      return r.ok ? r.text : v;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, walk(inner)]));
    return v;
  };
  const out = walk(value) as T;
  return failure === undefined ? { ok: true, value: out } : { ok: false, message: failure };
}

/** Every string inside a JSON-like value with where it sits, for config checks. */
export function stringsIn(value: unknown, path: Array<string | number> = []): Array<{ path: Array<string | number>; text: string }> {
  if (typeof value === 'string') return [{ path, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsIn(v, [...path, i]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringsIn(v, [...path, k]));
  return [];
}
