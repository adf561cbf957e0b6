import { describe, type Condition } from './condition.js';

/** What a measurement yields and a condition compares. */
export type MeasuredValue = number | boolean | string;

export type Evaluation = { ok: true; value: boolean } | { ok: false; message: string };

/**
 * Evaluates a parsed condition against one measurement's values. Whatever
 * cannot be decided (NaN, division by zero, text where a number belongs, a
 * value the provider did not give) is an error the caller turns into a
 * measurement with phase Error, never a pass or a fail. Pure.
 */
export function evaluateCondition(condition: Condition, values: Readonly<Record<string, MeasuredValue | undefined>>): Evaluation {
  try {
    const value = evaluate(condition, values);
    if (typeof value !== 'boolean') return { ok: false, message: `the condition gave ${show(value)}, not true or false` };
    return { ok: true, value };
  } catch (err) {
    if (err instanceof EvaluationError) return { ok: false, message: err.message };
    throw err;
  }
}

class EvaluationError extends Error {}

function evaluate(c: Condition, values: Readonly<Record<string, MeasuredValue | undefined>>): MeasuredValue {
  switch (c.kind) {
    case 'number':
    case 'boolean':
    case 'text':
      return c.value;
    case 'identifier': {
      const value = values[c.name];
      if (value === undefined) throw new EvaluationError(`${c.name} has no value in this measurement`);
      if (typeof value === 'number' && Number.isNaN(value)) throw new EvaluationError(`${c.name} is NaN`);
      return value;
    }
    case 'unary': {
      const value = evaluate(c.operand, values);
      return c.op === '-' ? -number(value, c.operand, "'-'") : !boolean(value, c.operand, "'!'");
    }
    case 'call': {
      const args = c.args.map((arg) => number(evaluate(arg, values), arg, `${c.fn}()`));
      return c.fn === 'abs' ? Math.abs(args[0] ?? 0) : c.fn === 'min' ? Math.min(...args) : Math.max(...args);
    }
    case 'binary': {
      if (c.op === '&&' || c.op === '||') {
        const left = boolean(evaluate(c.left, values), c.left, `'${c.op}'`);
        // Short-circuit like expr-lang: the right side is not needed (and may not be measurable).
        if (c.op === '&&' ? !left : left) return left;
        return boolean(evaluate(c.right, values), c.right, `'${c.op}'`);
      }
      const left = evaluate(c.left, values);
      const right = evaluate(c.right, values);
      if (c.op === '==' || c.op === '!=') {
        if (typeof left !== typeof right) throw new EvaluationError(`'${c.op}' compares ${describe(c.left)} = ${show(left)} with ${describe(c.right)} = ${show(right)}`);
        return c.op === '==' ? left === right : left !== right;
      }
      const a = number(left, c.left, `'${c.op}'`);
      const b = number(right, c.right, `'${c.op}'`);
      switch (c.op) {
        case '+':
          return finite(a + b, c);
        case '-':
          return finite(a - b, c);
        case '*':
          return finite(a * b, c);
        case '/':
          if (b === 0) throw new EvaluationError(`division by zero in ${describe(c)}`);
          return finite(a / b, c);
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
      }
    }
  }
}

function number(value: MeasuredValue, from: Condition, what: string): number {
  if (typeof value !== 'number') throw new EvaluationError(`${what} needs a number, but ${describe(from)} is ${show(value)}`);
  return value;
}

function boolean(value: MeasuredValue, from: Condition, what: string): boolean {
  if (typeof value !== 'boolean') throw new EvaluationError(`${what} needs true or false, but ${describe(from)} is ${show(value)}`);
  return value;
}

function finite(value: number, c: Condition): number {
  if (Number.isNaN(value)) throw new EvaluationError(`${describe(c)} is NaN`);
  return value;
}

/** A value as a person reads it in a message: 7, true, 'ok' (text). */
export function show(value: MeasuredValue): string {
  if (typeof value === 'string') return `'${value}' (text)`;
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

/** Numbers in messages: at most 4 decimals, no float noise (0.30000000000000004 -> 0.3). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toFixed(4)));
}
