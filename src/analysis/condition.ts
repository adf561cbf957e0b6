/**
 * The condition language of analysis metrics: `result <= 1`,
 * `canary > stable * 1.1 && canary > 2`. Parsed once when the config file is
 * read (a bad expression is a config error naming the field), evaluated per
 * measurement without eval: numbers, true/false, 'text', the identifiers a
 * metric provides, + - * /, comparisons, && || ! (also and/or/not),
 * parentheses, abs/min/max. Pure.
 */

export type ConditionType = 'number' | 'boolean' | 'text';

export type Condition =
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'text'; value: string }
  | { kind: 'identifier'; name: string }
  | { kind: 'unary'; op: '-' | '!'; operand: Condition }
  | { kind: 'binary'; op: BinaryOp; left: Condition; right: Condition }
  | { kind: 'call'; fn: FunctionName; args: Condition[] };

export type BinaryOp = '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=' | '&&' | '||';
export const FUNCTIONS = ['abs', 'min', 'max'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export type ParsedCondition = { ok: true; condition: Condition } | { ok: false; message: string };

const COMPARISONS = new Set<BinaryOp>(['<', '<=', '>', '>=', '==', '!=']);
const WORD_OPERATORS: Record<string, string> = { and: '&&', or: '||', not: '!' };

type Token =
  | { kind: 'number'; value: number; at: number }
  | { kind: 'text'; value: string; at: number }
  | { kind: 'word'; value: string; at: number }
  | { kind: 'op'; value: string; at: number }
  | { kind: 'end'; at: number };

class ConditionSyntaxError extends Error {}

/**
 * Parses and type-checks `source`. `identifiers` are the names this metric
 * provides (result; canary and stable with compare: stable). Errors say what
 * is wrong and where (1-based column).
 */
export function parseCondition(source: string, identifiers: readonly string[]): ParsedCondition {
  try {
    const tokens = tokenize(source);
    const parser = new Parser(tokens, source);
    const condition = parser.expression();
    parser.expectEnd();
    const type = typeOf(condition, identifiers);
    if (type !== undefined && type !== 'boolean') {
      throw new ConditionSyntaxError(`'${source}' gives a ${describeType(type)}, not true or false; compare it, e.g. ${source} <= 1`);
    }
    return { ok: true, condition };
  } catch (err) {
    if (err instanceof ConditionSyntaxError) return { ok: false, message: err.message };
    throw err;
  }
}

/** Identifiers a condition refers to, in order of first use. */
export function identifiersOf(condition: Condition): string[] {
  const found: string[] = [];
  const walk = (c: Condition): void => {
    switch (c.kind) {
      case 'identifier':
        if (!found.includes(c.name)) found.push(c.name);
        return;
      case 'unary':
        return walk(c.operand);
      case 'binary':
        walk(c.left);
        return walk(c.right);
      case 'call':
        return c.args.forEach(walk);
      default:
        return;
    }
  };
  walk(condition);
  return found;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const number = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: 'number', value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (word) {
      const operator = WORD_OPERATORS[word[0]];
      tokens.push(operator ? { kind: 'op', value: operator, at: i } : { kind: 'word', value: word[0], at: i });
      i += word[0].length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = source.indexOf(ch, i + 1);
      if (end < 0) throw syntax(source, i, `text starting with ${ch} is not closed`);
      tokens.push({ kind: 'text', value: source.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const op = ['<=', '>=', '==', '!=', '&&', '||', '<', '>', '+', '-', '*', '/', '!', '(', ')', ','].find((o) => source.startsWith(o, i));
    if (op) {
      tokens.push({ kind: 'op', value: op, at: i });
      i += op.length;
      continue;
    }
    if (ch === '=') throw syntax(source, i, "'=' is not an operator; compare with ==");
    if (ch === '&' || ch === '|') throw syntax(source, i, `'${ch}' is not an operator; use ${ch}${ch}`);
    throw syntax(source, i, `unexpected '${ch}'`);
  }
  tokens.push({ kind: 'end', at: source.length });
  return tokens;
}

/** Recursive descent, lowest precedence first: || then && then comparison then + - then * / then unary. */
class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  expression(): Condition {
    return this.or();
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw syntax(this.source, token.at, `unexpected ${describeToken(token)}; expected an operator or the end`);
  }

  private or(): Condition {
    let left = this.and();
    while (this.takeOp('||')) left = { kind: 'binary', op: '||', left, right: this.and() };
    return left;
  }

  private and(): Condition {
    let left = this.comparison();
    while (this.takeOp('&&')) left = { kind: 'binary', op: '&&', left, right: this.comparison() };
    return left;
  }

  private comparison(): Condition {
    const left = this.additive();
    const token = this.peek();
    if (token.kind === 'op' && COMPARISONS.has(token.value as BinaryOp)) {
      this.position += 1;
      const right = this.additive();
      const next = this.peek();
      if (next.kind === 'op' && COMPARISONS.has(next.value as BinaryOp)) {
        throw syntax(this.source, next.at, 'comparisons do not chain; join them with &&, e.g. 1 < result && result < 5');
      }
      return { kind: 'binary', op: token.value as BinaryOp, left, right };
    }
    return left;
  }

  private additive(): Condition {
    let left = this.multiplicative();
    for (;;) {
      const op = this.takeOp('+') ?? this.takeOp('-');
      if (!op) return left;
      left = { kind: 'binary', op, left, right: this.multiplicative() };
    }
  }

  private multiplicative(): Condition {
    let left = this.unary();
    for (;;) {
      const op = this.takeOp('*') ?? this.takeOp('/');
      if (!op) return left;
      left = { kind: 'binary', op, left, right: this.unary() };
    }
  }

  private unary(): Condition {
    const op = this.takeOp('-') ?? this.takeOp('!');
    if (op) return { kind: 'unary', op, operand: this.unary() };
    return this.primary();
  }

  private primary(): Condition {
    const token = this.next();
    switch (token.kind) {
      case 'number':
        return { kind: 'number', value: token.value };
      case 'text':
        return { kind: 'text', value: token.value };
      case 'word': {
        if (token.value === 'true' || token.value === 'false') return { kind: 'boolean', value: token.value === 'true' };
        if (this.takeOp('(')) return this.call(token);
        return { kind: 'identifier', name: token.value };
      }
      case 'op':
        if (token.value === '(') {
          const inner = this.expression();
          if (!this.takeOp(')')) throw syntax(this.source, this.peek().at, `expected ')' to close the '(' at column ${token.at + 1}`);
          return inner;
        }
        throw syntax(this.source, token.at, `unexpected ${describeToken(token)}; expected a number, a name or '('`);
      case 'end':
        throw syntax(this.source, token.at, 'the condition ends too soon; expected a number, a name or (');
    }
  }

  private call(name: Extract<Token, { kind: 'word' }>): Condition {
    const fn = FUNCTIONS.find((f) => f === name.value);
    if (!fn) throw syntax(this.source, name.at, `unknown function ${name.value}(); the functions are ${FUNCTIONS.join(', ')}`);
    const args: Condition[] = [];
    if (!this.takeOp(')')) {
      do args.push(this.expression());
      while (this.takeOp(','));
      if (!this.takeOp(')')) throw syntax(this.source, this.peek().at, `expected ',' or ')' in the arguments of ${fn}()`);
    }
    if (fn === 'abs' && args.length !== 1) throw syntax(this.source, name.at, `abs() takes one argument, got ${args.length}`);
    if (fn !== 'abs' && args.length < 1) throw syntax(this.source, name.at, `${fn}() takes at least one argument`);
    return { kind: 'call', fn, args };
  }

  private takeOp<T extends string>(value: T): T | undefined {
    const token = this.peek();
    if (token.kind === 'op' && token.value === value) {
      this.position += 1;
      return value;
    }
    return undefined;
  }

  private peek(): Token {
    return this.tokens[this.position] ?? { kind: 'end', at: this.source.length };
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position += 1;
    return token;
  }
}

/**
 * The static type of a condition: undefined where only a measurement can
 * tell (an identifier may hold a number, a boolean or text). Throws on
 * what can never work, e.g. `1 + true` or an unknown name.
 */
function typeOf(c: Condition, identifiers: readonly string[]): ConditionType | undefined {
  const need = (operand: Condition, want: ConditionType, what: string): void => {
    const type = typeOf(operand, identifiers);
    if (type !== undefined && type !== want) throw new ConditionSyntaxError(`${what} needs a ${describeType(want)}, got ${describe(operand)} (a ${describeType(type)})`);
  };
  switch (c.kind) {
    case 'number':
    case 'boolean':
    case 'text':
      return c.kind;
    case 'identifier':
      if (!identifiers.includes(c.name)) {
        const hint = c.name === 'canary' || c.name === 'stable' ? ` (${c.name} is defined with compare: stable)` : '';
        throw new ConditionSyntaxError(`unknown name ${c.name}${hint}; this metric provides ${identifiers.join(', ')}`);
      }
      return undefined;
    case 'unary':
      need(c.operand, c.op === '-' ? 'number' : 'boolean', `'${c.op}'`);
      return c.op === '-' ? 'number' : 'boolean';
    case 'call':
      for (const arg of c.args) need(arg, 'number', `${c.fn}()`);
      return 'number';
    case 'binary': {
      if (c.op === '&&' || c.op === '||') {
        need(c.left, 'boolean', `'${c.op}'`);
        need(c.right, 'boolean', `'${c.op}'`);
        return 'boolean';
      }
      if (c.op === '==' || c.op === '!=') {
        const left = typeOf(c.left, identifiers);
        const right = typeOf(c.right, identifiers);
        if (left !== undefined && right !== undefined && left !== right) {
          throw new ConditionSyntaxError(`'${c.op}' compares ${describe(c.left)} (a ${describeType(left)}) with ${describe(c.right)} (a ${describeType(right)}); it is never equal`);
        }
        return 'boolean';
      }
      need(c.left, 'number', `'${c.op}'`);
      need(c.right, 'number', `'${c.op}'`);
      return COMPARISONS.has(c.op) ? 'boolean' : 'number';
    }
  }
}

export function describeType(type: ConditionType): string {
  return type === 'text' ? 'text' : type;
}

/** A condition written back as text, for messages. */
export function describe(c: Condition): string {
  switch (c.kind) {
    case 'number':
      return String(c.value);
    case 'boolean':
      return String(c.value);
    case 'text':
      return `'${c.value}'`;
    case 'identifier':
      return c.name;
    case 'unary':
      return `${c.op}${operand(c.operand)}`;
    case 'binary':
      return `${operand(c.left)} ${c.op} ${operand(c.right)}`;
    case 'call':
      return `${c.fn}(${c.args.map(describe).join(', ')})`;
  }
}

function operand(c: Condition): string {
  return c.kind === 'binary' ? `(${describe(c)})` : describe(c);
}

function describeToken(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of the condition';
    case 'text':
      return `'${token.value}'`;
    default:
      return `'${token.value}'`;
  }
}

function syntax(source: string, at: number, message: string): ConditionSyntaxError {
  return new ConditionSyntaxError(`${message} (column ${at + 1} of '${source}')`);
}
