/**
 * The JSONPath subset metrics use to pick one value out of a response:
 * `$`, `.name`, `['name']` or `["name"]`, and `[index]` (negative counts
 * from the end). No wildcards, filters or recursion: a metric measures one
 * value. Pure.
 */

export type PathStep = { kind: 'key'; key: string } | { kind: 'index'; index: number };

export type ParsedPath = { ok: true; steps: PathStep[] } | { ok: false; message: string };

export function parseJsonPath(path: string): ParsedPath {
  const fail = (at: number, why: string): ParsedPath => ({ ok: false, message: `${why} at position ${at + 1} of '${path}'; write a path like $.checks.ok or $.items[0]['p99']` });
  if (!path.startsWith('$')) return fail(0, 'a path starts with $');
  const steps: PathStep[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const name = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(path.slice(i + 1));
      if (!name) return fail(i + 1, 'expected a name after .');
      steps.push({ kind: 'key', key: name[0] });
      i += 1 + name[0].length;
      continue;
    }
    if (path[i] === '[') {
      const index = /^\[\s*(-?\d+)\s*\]/.exec(path.slice(i));
      if (index) {
        steps.push({ kind: 'index', index: Number(index[1]) });
        i += index[0].length;
        continue;
      }
      const quoted = /^\[\s*(?:'([^']*)'|"([^"]*)")\s*\]/.exec(path.slice(i));
      if (quoted) {
        steps.push({ kind: 'key', key: quoted[1] ?? quoted[2] ?? '' });
        i += quoted[0].length;
        continue;
      }
      return fail(i, "expected [number] or ['name']");
    }
    return fail(i, `unexpected '${path[i]}'`);
  }
  return { ok: true, steps };
}

/** The value at `steps`, or what was missing on the way. */
export function selectJsonPath(document: unknown, steps: readonly PathStep[]): { found: true; value: unknown } | { found: false; missing: string } {
  let current = document;
  let where = '$';
  for (const step of steps) {
    if (step.kind === 'key') {
      if (current === null || typeof current !== 'object' || Array.isArray(current) || !Object.hasOwn(current, step.key)) {
        return { found: false, missing: `${where} has no field ${step.key}` };
      }
      current = (current as Record<string, unknown>)[step.key];
      where += /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(step.key) ? `.${step.key}` : `['${step.key}']`;
    } else {
      if (!Array.isArray(current)) return { found: false, missing: `${where} is not a list` };
      const index = step.index < 0 ? current.length + step.index : step.index;
      if (index < 0 || index >= current.length) return { found: false, missing: `${where} has no item ${step.index} (it has ${current.length})` };
      current = current[index];
      where += `[${step.index}]`;
    }
  }
  return { found: true, value: current };
}
