import { MetricMathError, type BinaryOp, type MathNode } from './parser.js';

/** A time series: period start (virtual ms) -> value. */
export interface TimeSeries {
  label: string;
  points: Map<number, number>;
}

export type MathValue =
  | { kind: 'scalar'; value: number }
  | { kind: 'series'; series: TimeSeries }
  | { kind: 'array'; items: TimeSeries[] };

/** The periods a query covers: FILL and constants expand over them. */
export interface Grid {
  startMs: number;
  endMs: number;
  periodMs: number;
}

export interface MathContext {
  grid: Grid;
  /** The value of another query, by id; undefined when no query has that id. */
  lookup(id: string): MathValue | undefined;
  /** Every metric query's series, for METRICS(). */
  allMetrics(): TimeSeries[];
}

/** GetMetricData's own ceiling on data points per call. */
export const MAX_GRID_PERIODS = 100_800;

export function gridTimestamps(grid: Grid): number[] {
  if (grid.periodMs > 0 && (grid.endMs - grid.startMs) / grid.periodMs > MAX_GRID_PERIODS) {
    throw new MetricMathError(`The time range holds more than ${MAX_GRID_PERIODS} periods; use a longer period or a shorter range.`);
  }
  const out: number[] = [];
  for (let t = grid.startMs; t < grid.endMs && grid.periodMs > 0; t += grid.periodMs) out.push(t);
  return out;
}

const series = (points: Map<number, number>, label = ''): MathValue => ({ kind: 'series', series: { label, points } });

/** Keeps only finite results: a division by zero leaves a gap, as in CloudWatch. */
function mapPoints(points: Map<number, number>, fn: (v: number, t: number) => number | undefined): Map<number, number> {
  const out = new Map<number, number>();
  for (const [t, v] of points) {
    const r = fn(v, t);
    if (r !== undefined && Number.isFinite(r)) out.set(t, r);
  }
  return out;
}

function applyOp(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '^': return a ** b;
    case '>': return a > b ? 1 : 0;
    case '<': return a < b ? 1 : 0;
    case '>=': return a >= b ? 1 : 0;
    case '<=': return a <= b ? 1 : 0;
    case '==': return a === b ? 1 : 0;
    case '!=': return a !== b ? 1 : 0;
    case 'AND': return a !== 0 && b !== 0 ? 1 : 0;
    case 'OR': return a !== 0 || b !== 0 ? 1 : 0;
  }
}

function combine(op: BinaryOp, left: MathValue, right: MathValue): MathValue {
  if (left.kind === 'array' && right.kind === 'array') throw new MetricMathError(`Operator ${op} cannot combine two arrays of time series.`);
  if (left.kind === 'array') return { kind: 'array', items: left.items.map((s) => seriesOf(combine(op, { kind: 'series', series: s }, right), s.label)) };
  if (right.kind === 'array') return { kind: 'array', items: right.items.map((s) => seriesOf(combine(op, left, { kind: 'series', series: s }), s.label)) };
  if (left.kind === 'scalar' && right.kind === 'scalar') return { kind: 'scalar', value: applyOp(op, left.value, right.value) };
  if (left.kind === 'scalar' && right.kind === 'series') return series(mapPoints(right.series.points, (v) => applyOp(op, left.value, v)));
  if (left.kind === 'series' && right.kind === 'scalar') return series(mapPoints(left.series.points, (v) => applyOp(op, v, right.value)));
  if (left.kind === 'series' && right.kind === 'series') {
    // Only timestamps both series have: a gap on either side stays a gap (FILL closes gaps first).
    const other = right.series.points;
    return series(mapPoints(left.series.points, (v, t) => (other.has(t) ? applyOp(op, v, other.get(t) ?? 0) : undefined)));
  }
  throw new MetricMathError(`Operator ${op} cannot combine these values.`);
}

function seriesOf(value: MathValue, label: string): TimeSeries {
  if (value.kind !== 'series') throw new MetricMathError('Expected a time series.');
  return { label, points: value.series.points };
}

type Reducer = (values: number[]) => number;
const REDUCERS: Record<string, Reducer> = {
  SUM: (v) => v.reduce((a, b) => a + b, 0),
  AVG: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  MIN: (v) => Math.min(...v),
  MAX: (v) => Math.max(...v),
};

/** SUM(m1) reduces one series to a scalar; SUM([m1, m2]) reduces across series, per timestamp. */
function reduce(name: string, arg: MathValue): MathValue {
  const fn = REDUCERS[name] as Reducer;
  if (arg.kind === 'scalar') return arg;
  if (arg.kind === 'series') {
    const values = [...arg.series.points.values()];
    return { kind: 'scalar', value: values.length === 0 ? Number.NaN : fn(values) };
  }
  const byTime = new Map<number, number[]>();
  for (const item of arg.items) {
    for (const [t, v] of item.points) {
      const list = byTime.get(t);
      if (list) list.push(v);
      else byTime.set(t, [v]);
    }
  }
  return series(new Map([...byTime].map(([t, values]) => [t, fn(values)])));
}

function elementwise(arg: MathValue, fn: (v: number) => number): MathValue {
  if (arg.kind === 'scalar') return { kind: 'scalar', value: fn(arg.value) };
  if (arg.kind === 'series') return series(mapPoints(arg.series.points, fn), arg.series.label);
  return { kind: 'array', items: arg.items.map((s) => ({ label: s.label, points: mapPoints(s.points, fn) })) };
}

function fillSeries(s: TimeSeries, how: MathValue | 'REPEAT' | 'LINEAR', grid: Grid): TimeSeries {
  const times = gridTimestamps(grid);
  const out = new Map<number, number>();
  const known = times.filter((t) => s.points.has(t));
  times.forEach((t) => {
    const own = s.points.get(t);
    if (own !== undefined) return out.set(t, own);
    if (how === 'REPEAT') {
      const before = known.filter((k) => k < t).pop();
      if (before !== undefined) out.set(t, s.points.get(before) ?? 0);
    } else if (how === 'LINEAR') {
      const before = known.filter((k) => k < t).pop();
      const after = known.find((k) => k > t);
      if (before !== undefined && after !== undefined) {
        const a = s.points.get(before) ?? 0;
        const b = s.points.get(after) ?? 0;
        out.set(t, a + ((b - a) * (t - before)) / (after - before));
      }
    } else if (how.kind === 'scalar') {
      if (Number.isFinite(how.value)) out.set(t, how.value);
    } else if (how.kind === 'series') {
      const v = how.series.points.get(t);
      if (v !== undefined) out.set(t, v);
    }
    return undefined;
  });
  return { label: s.label, points: out };
}

function valueAt(v: MathValue, t: number): number | undefined {
  if (v.kind === 'scalar') return Number.isFinite(v.value) ? v.value : undefined;
  if (v.kind === 'series') return v.series.points.get(t);
  throw new MetricMathError('IF takes a time series or a number, not an array.');
}

function arity(name: string, args: MathNode[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new MetricMathError(`${name} takes ${expected} argument${max === 1 ? '' : 's'}, not ${args.length}.`);
  }
}

function call(name: string, args: MathNode[], ctx: MathContext): MathValue {
  const first = (): MathValue => evaluateExpression(args[0] as MathNode, ctx);
  if (Object.prototype.hasOwnProperty.call(REDUCERS, name)) {
    arity(name, args, 1);
    return reduce(name, first());
  }
  switch (name) {
    case 'ABS': arity(name, args, 1); return elementwise(first(), Math.abs);
    case 'CEIL': arity(name, args, 1); return elementwise(first(), Math.ceil);
    case 'FLOOR': arity(name, args, 1); return elementwise(first(), Math.floor);
    case 'PERIOD': {
      arity(name, args, 1);
      if (first().kind === 'scalar') throw new MetricMathError('PERIOD takes a time series.');
      return { kind: 'scalar', value: ctx.grid.periodMs / 1000 };
    }
    case 'METRICS': {
      arity(name, args, 0);
      return { kind: 'array', items: ctx.allMetrics() };
    }
    case 'FILL': {
      arity(name, args, 2);
      const target = first();
      const how = args[1]?.type === 'keyword' ? args[1].name : evaluateExpression(args[1] as MathNode, ctx);
      if (how !== 'REPEAT' && how !== 'LINEAR' && how.kind === 'array') throw new MetricMathError('FILL takes a number, a time series, REPEAT or LINEAR as its second argument.');
      if (target.kind === 'scalar') return target;
      if (target.kind === 'series') return { kind: 'series', series: fillSeries(target.series, how, ctx.grid) };
      return { kind: 'array', items: target.items.map((s) => fillSeries(s, how, ctx.grid)) };
    }
    case 'IF': {
      arity(name, args, 2, 3);
      const condition = first();
      const whenTrue = evaluateExpression(args[1] as MathNode, ctx);
      const whenFalse = args[2] ? evaluateExpression(args[2], ctx) : undefined;
      if (condition.kind === 'array') throw new MetricMathError('IF takes a time series or a number as its condition.');
      if (condition.kind === 'scalar') return condition.value !== 0 ? whenTrue : (whenFalse ?? series(new Map()));
      return series(mapPoints(condition.series.points, (c, t) => (c !== 0 ? valueAt(whenTrue, t) : whenFalse ? valueAt(whenFalse, t) : undefined)));
    }
    default:
      throw new MetricMathError(`Unknown function ${name}: the emulator evaluates SUM, AVG, MIN, MAX, ABS, CEIL, FLOOR, PERIOD, METRICS, FILL and IF.`);
  }
}

export function evaluateExpression(node: MathNode, ctx: MathContext): MathValue {
  switch (node.type) {
    case 'number': return { kind: 'scalar', value: node.value };
    case 'ref': {
      const value = ctx.lookup(node.id);
      if (!value) throw new MetricMathError(`Unrecognized identifier ${node.id}: no query has that id.`);
      return value;
    }
    case 'keyword': throw new MetricMathError(`${node.name} is only valid as FILL's second argument.`);
    case 'unary': {
      const operand = evaluateExpression(node.operand, ctx);
      return node.op === '-' ? elementwise(operand, (v) => -v) : operand;
    }
    case 'binary': return combine(node.op, evaluateExpression(node.left, ctx), evaluateExpression(node.right, ctx));
    case 'call': return call(node.name, node.args, ctx);
    case 'array': {
      const items = node.items.map((item) => evaluateExpression(item, ctx)).flatMap((v): TimeSeries[] => {
        if (v.kind === 'series') return [v.series];
        if (v.kind === 'array') return v.items;
        throw new MetricMathError('An array holds time series, not numbers.');
      });
      return { kind: 'array', items };
    }
  }
}

/** The value as time series for output: a number becomes a constant over the grid. */
export function asSeriesList(value: MathValue, grid: Grid): TimeSeries[] {
  if (value.kind === 'series') return [value.series];
  if (value.kind === 'array') return value.items;
  const points = new Map<number, number>();
  if (Number.isFinite(value.value)) for (const t of gridTimestamps(grid)) points.set(t, value.value);
  return [{ label: '', points }];
}
