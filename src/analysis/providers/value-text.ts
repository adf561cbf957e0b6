import { selectJsonPath, type PathStep } from '../json-path.js';
import type { MeasuredValue } from '../condition-evaluate.js';

export type ParsedValue = { ok: true; value: MeasuredValue } | { ok: false; message: string };

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A command's stdout or a response body as one value. With a JSON path the
 * text is a JSON document and the path picks the value. Without one, the
 * whole text is the value when it is one (a number, true/false, a JSON
 * scalar); otherwise its last non-empty line is, so a script may log above
 * the figure it prints last. Text that spells a number is a number. Pure.
 */
export function valueFromText(text: string, jsonPath: { steps: PathStep[]; text: string } | undefined, source: string): ParsedValue {
  if (jsonPath) {
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (err) {
      return { ok: false, message: `${source} is not JSON (${(err as Error).message}), so jsonPath ${jsonPath.text} cannot pick a value: ${excerpt(text)}` };
    }
    const selected = selectJsonPath(document, jsonPath.steps);
    if (!selected.found) return { ok: false, message: `jsonPath ${jsonPath.text} selects nothing in ${source}: ${selected.missing}` };
    return scalar(selected.value, `jsonPath ${jsonPath.text} in ${source}`);
  }
  const whole = text.trim();
  if (whole === '') return { ok: false, message: `${source} is empty; print the value to measure` };
  const single = fromScalarText(whole);
  if (single) return single;
  try {
    const document: unknown = JSON.parse(whole);
    if (document !== null && typeof document === 'object') return { ok: false, message: `${source} is a JSON ${Array.isArray(document) ? 'list' : 'object'}; set jsonPath to pick the value, e.g. $.value` };
  } catch {
    // Not JSON: plain text, judged by its last line below.
  }
  const last = whole.split('\n').map((l) => l.trim()).filter((l) => l !== '').at(-1) ?? whole;
  return fromScalarText(last) ?? { ok: true, value: last };
}

function fromScalarText(text: string): ParsedValue | undefined {
  if (NUMBER.test(text)) return { ok: true, value: Number(text) };
  if (text === 'true' || text === 'false') return { ok: true, value: text === 'true' };
  if (text.startsWith('"') && text.endsWith('"') && text.length >= 2) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'string') return { ok: true, value: parsed };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function scalar(value: unknown, what: string): ParsedValue {
  if (typeof value === 'number') return Number.isFinite(value) ? { ok: true, value } : { ok: false, message: `${what} is ${value}` };
  if (typeof value === 'boolean') return { ok: true, value };
  if (typeof value === 'string') return NUMBER.test(value.trim()) ? { ok: true, value: Number(value.trim()) } : { ok: true, value };
  if (value === null) return { ok: false, message: `${what} is null` };
  return { ok: false, message: `${what} is a ${Array.isArray(value) ? 'list' : 'JSON object'}; point the path at a number, true/false or text` };
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat || '(empty)';
}
