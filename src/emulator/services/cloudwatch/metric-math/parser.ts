/**
 * CloudWatch metric math, the subset the emulator evaluates: numbers, query
 * ids, + - * / ^, comparisons (> < >= <= == !=) and AND / OR for IF,
 * parentheses, [a, b] arrays, and function calls such as SUM(m1) or
 * FILL(m1, REPEAT). Function names are upper case and ids start with a lower
 * case letter, as CloudWatch requires.
 */

export type MathNode =
  | { type: 'number'; value: number }
  | { type: 'ref'; id: string }
  | { type: 'keyword'; name: 'REPEAT' | 'LINEAR' }
  | { type: 'unary'; op: '-' | '+'; operand: MathNode }
  | { type: 'binary'; op: BinaryOp; left: MathNode; right: MathNode }
  | { type: 'call'; name: string; args: MathNode[] }
  | { type: 'array'; items: MathNode[] };

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '>' | '<' | '>=' | '<=' | '==' | '!=' | 'AND' | 'OR';

export class MetricMathError extends Error {}

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'name'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'end'; at: number };

const OPERATORS = ['>=', '<=', '==', '!=', '&&', '||', '+', '-', '*', '/', '^', '>', '<', '(', ')', '[', ']', ','];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    const number = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new MetricMathError(`Unexpected character '${c}' at position ${i + 1}.`);
    tokens.push({ kind: 'op', value: op === '&&' ? 'AND' : op === '||' ? 'OR' : op, at: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', at: text.length });
  return tokens;
}

/** Binding power of each binary operator: higher binds tighter. */
const PRECEDENCE: Record<BinaryOp, number> = {
  OR: 1, AND: 2, '==': 3, '!=': 3, '>': 4, '<': 4, '>=': 4, '<=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '^': 8,
};
const UNARY_PRECEDENCE = 7;

export function parseExpression(text: string): MathNode {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos] ?? { kind: 'end', at: text.length };
  const next = (): Token => {
    const t = peek();
    pos += 1;
    return t;
  };
  const describe = (t: Token): string => (t.kind === 'end' ? 'the end of the expression' : `'${String(t.value)}' at position ${t.at + 1}`);
  const expect = (op: string): void => {
    const t = next();
    if (t.kind !== 'op' || t.value !== op) throw new MetricMathError(`Expected '${op}' but found ${describe(t)}.`);
  };
  const binaryOp = (t: Token): BinaryOp | undefined => {
    const value = t.kind === 'op' ? t.value : t.kind === 'name' ? t.value.toUpperCase() : undefined;
    return value !== undefined && Object.prototype.hasOwnProperty.call(PRECEDENCE, value) ? (value as BinaryOp) : undefined;
  };

  const list = (close: string): MathNode[] => {
    const items: MathNode[] = [];
    const first = peek();
    if (first.kind === 'op' && first.value === close) {
      next();
      return items;
    }
    for (;;) {
      items.push(expression(0));
      const t = next();
      if (t.kind === 'op' && t.value === close) return items;
      if (t.kind !== 'op' || t.value !== ',') throw new MetricMathError(`Expected ',' or '${close}' but found ${describe(t)}.`);
    }
  };

  const primary = (): MathNode => {
    const t = next();
    if (t.kind === 'number') return { type: 'number', value: t.value };
    if (t.kind === 'op' && (t.value === '-' || t.value === '+')) return { type: 'unary', op: t.value, operand: expression(UNARY_PRECEDENCE) };
    if (t.kind === 'op' && t.value === '(') {
      const inner = expression(0);
      expect(')');
      return inner;
    }
    if (t.kind === 'op' && t.value === '[') return { type: 'array', items: list(']') };
    if (t.kind === 'name') {
      const after = peek();
      if (after.kind === 'op' && after.value === '(') {
        next();
        if (t.value !== t.value.toUpperCase()) throw new MetricMathError(`Unknown function ${t.value}: function names are upper case.`);
        return { type: 'call', name: t.value, args: list(')') };
      }
      if (t.value === 'REPEAT' || t.value === 'LINEAR') return { type: 'keyword', name: t.value };
      if (!/^[a-z]/.test(t.value)) throw new MetricMathError(`Unrecognized identifier ${t.value}: ids start with a lower case letter.`);
      return { type: 'ref', id: t.value };
    }
    throw new MetricMathError(`Unexpected ${describe(t)}.`);
  };

  const expression = (minPrecedence: number): MathNode => {
    let left = primary();
    for (;;) {
      const op = binaryOp(peek());
      if (!op) return left;
      const precedence = PRECEDENCE[op];
      if (precedence < minPrecedence) return left;
      next();
      // ^ is right-associative; the rest associate to the left.
      const right = expression(op === '^' ? precedence : precedence + 1);
      left = { type: 'binary', op, left, right };
    }
  };

  if (text.trim() === '') throw new MetricMathError('The expression is empty.');
  const root = expression(0);
  const rest = peek();
  if (rest.kind !== 'end') throw new MetricMathError(`Unexpected ${describe(rest)}.`);
  return root;
}

/** The query ids an expression reads, for ordering and cycle checks. */
export function referencedIds(node: MathNode): Set<string> {
  const ids = new Set<string>();
  const walk = (n: MathNode): void => {
    switch (n.type) {
      case 'ref': ids.add(n.id); break;
      case 'unary': walk(n.operand); break;
      case 'binary': walk(n.left); walk(n.right); break;
      case 'call': n.args.forEach(walk); break;
      case 'array': n.items.forEach(walk); break;
      default: break;
    }
  };
  walk(node);
  return ids;
}

/** Whether the expression calls a function (METRICS() reads every metric query). */
export function callsFunction(node: MathNode, name: string): boolean {
  switch (node.type) {
    case 'call': return node.name === name || node.args.some((a) => callsFunction(a, name));
    case 'unary': return callsFunction(node.operand, name);
    case 'binary': return callsFunction(node.left, name) || callsFunction(node.right, name);
    case 'array': return node.items.some((a) => callsFunction(a, name));
    default: return false;
  }
}
