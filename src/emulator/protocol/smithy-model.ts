/**
 * A service's Smithy shapes, read from the static schemas its
 * `@aws-sdk/client-*` package exports (`PutMetricAlarm$`,
 * `PutMetricAlarmInput$`, ...: the tuples of Smithy's schema-serde format).
 * They are the same model the SDK serializes with, so a protocol codec that
 * needs types the wire does not carry (awsQuery sends every value as text)
 * reads them here instead of from a hand-kept list, and every operation the
 * SDK knows is covered, present and future.
 *
 * Static schema tuples, as @smithy/types declares them:
 *   simple    [0, namespace, name, traits, schemaRef]
 *   list      [1, namespace, name, traits, memberRef]
 *   map       [2, namespace, name, traits, keyRef, valueRef]
 *   structure [3, namespace, name, traits, memberNames, memberRefs, requiredCount?]
 *   union     [4, namespace, name, traits, memberNames, memberRefs]
 *   error     [-3, namespace, name, traits, memberNames, memberRefs]
 *   operation [9, namespace, name, traits, inputRef, outputRef]
 * A ref is one of those tuples, a function returning one (for recursion), a
 * member wrapper [ref, memberTraits], "unit", or a number: 0 string, 1 number,
 * 2 boolean, 4-7 timestamp, 15 document, 17/19 big numbers, 21/42 blob,
 * 64|n a list of n and 128|n a map of n.
 */

export type Shape =
  | { readonly type: 'string' | 'number' | 'bigNumber' | 'boolean' | 'timestamp' | 'blob' | 'document' | 'unit' }
  | { readonly type: 'list'; readonly flattened: boolean; member(): Shape }
  | { readonly type: 'map'; value(): Shape }
  | { readonly type: 'structure'; readonly name: string; readonly memberNames: readonly string[]; member(name: string): Shape | undefined };

export interface ServiceModel {
  /** The Smithy namespace of the service's shapes, e.g. "com.amazonaws.cloudwatch". */
  readonly namespace: string;
  /** The input shape of an operation the model defines; undefined for any other name. */
  input(operation: string): Shape | undefined;
  output(operation: string): Shape | undefined;
  /**
   * The absolute shape id of an error, from the code an operation threw: the
   * error shape of that name, else the one whose awsQueryError code it is
   * (CloudWatch throws "InvalidParameterValue", the shape is
   * InvalidParameterValueException); any other code is named in the
   * service's namespace.
   */
  errorShapeId(code: string): string;
}

type Ref = unknown;
type Traits = unknown;

const LIST_MODIFIER = 64;
const MAP_MODIFIER = 128;

/** Reads the exports of an `@aws-sdk/client-*` package (its namespace import) as a ServiceModel. */
export function modelFromSdkSchemas(exports: Readonly<Record<string, unknown>>): ServiceModel {
  const operations = new Map<string, readonly unknown[]>();
  const errors: Array<readonly unknown[]> = [];
  for (const value of Object.values(exports)) {
    if (!isStatic(value)) continue;
    if (value[0] === 9) operations.set(String(value[2]), value);
    else if (value[0] === -3) errors.push(value);
  }
  const first = operations.values().next().value;
  if (!first) throw new Error('the package exports no operation schemas (Name$); is it an @aws-sdk/client-* package of version 3.8xx or later?');
  const namespace = String(first[1]);

  const errorIds = new Map<string, string>();
  const serviceErrors = errors.filter((e) => e[1] === namespace);
  // Shape names first, so a code two shapes share (ResourceNotFound) names the shape that is called that.
  for (const e of serviceErrors) errorIds.set(String(e[2]), `${namespace}#${String(e[2])}`);
  for (const e of serviceErrors) {
    const queryCode = awsQueryErrorCode(e[3]);
    if (queryCode && !errorIds.has(queryCode)) errorIds.set(queryCode, `${namespace}#${String(e[2])}`);
  }

  const shapes = new ShapeReader();
  const part = (operation: string, index: 4 | 5): Shape | undefined => {
    const schema = operations.get(operation);
    return schema ? shapes.read(schema[index]) : undefined;
  };
  return {
    namespace,
    input: (operation) => part(operation, 4),
    output: (operation) => part(operation, 5),
    errorShapeId: (code) => errorIds.get(code) ?? `${namespace}#${code}`,
  };
}

/** Turns refs into Shapes, once per schema tuple (shapes refer to each other, sometimes in cycles). */
class ShapeReader {
  private readonly seen = new WeakMap<object, Shape>();

  read(ref: Ref): Shape {
    const schema = typeof ref === 'function' ? (ref as () => unknown)() : ref;
    if (isMemberWrapper(schema)) return this.read(schema[0]);
    if (schema === 'unit') return { type: 'unit' };
    if (typeof schema === 'number') return this.sentinel(schema);
    if (!isStatic(schema)) throw new Error(`not a Smithy static schema: ${JSON.stringify(schema)}`);
    const known = this.seen.get(schema);
    if (known) return known;
    const shape = this.fromTuple(schema);
    this.seen.set(schema, shape);
    return shape;
  }

  private fromTuple(schema: readonly unknown[]): Shape {
    switch (schema[0]) {
      case 0:
        return this.read(schema[4]);
      case 1: {
        const memberRef = schema[4];
        return { type: 'list', flattened: hasTrait(schema[3], 'xmlFlattened'), member: () => this.read(memberRef) };
      }
      case 2: {
        const valueRef = schema[5];
        return { type: 'map', value: () => this.read(valueRef) };
      }
      case 3:
      case 4:
      case -3: {
        const names = (Array.isArray(schema[4]) ? schema[4] : []).map(String);
        const refs = Array.isArray(schema[5]) ? (schema[5] as unknown[]) : [];
        const members = new Map<string, Shape>();
        return {
          type: 'structure',
          name: String(schema[2]),
          memberNames: names,
          member: (name) => {
            const index = names.indexOf(name);
            if (index < 0) return undefined;
            let shape = members.get(name);
            if (!shape) members.set(name, (shape = this.read(refs[index])));
            return shape;
          },
        };
      }
      default:
        throw new Error(`unexpected Smithy schema kind ${String(schema[0])} for ${String(schema[2])}`);
    }
  }

  private sentinel(n: number): Shape {
    if (n >= MAP_MODIFIER && n < 256) return { type: 'map', value: () => this.sentinel(n & 0x3f) };
    if (n >= LIST_MODIFIER && n < MAP_MODIFIER) return { type: 'list', flattened: false, member: () => this.sentinel(n & 0x3f) };
    switch (n) {
      case 0:
        return { type: 'string' };
      case 1:
        return { type: 'number' };
      case 2:
        return { type: 'boolean' };
      case 4:
      case 5:
      case 6:
      case 7:
        return { type: 'timestamp' };
      case 15:
        return { type: 'document' };
      case 17:
      case 19:
        return { type: 'bigNumber' };
      case 21:
      case 42:
        return { type: 'blob' };
      default:
        throw new Error(`unexpected Smithy simple schema ${n}`);
    }
  }
}

function isStatic(value: unknown): value is readonly unknown[] {
  return Array.isArray(value) && value.length >= 5 && typeof value[0] === 'number' && typeof value[1] === 'string';
}

function isMemberWrapper(value: unknown): value is readonly [Ref, Traits] {
  return Array.isArray(value) && value.length === 2;
}

function hasTrait(traits: Traits, name: string): boolean {
  return typeof traits === 'object' && traits !== null && (traits as Record<string, unknown>)[name] !== undefined;
}

function awsQueryErrorCode(traits: Traits): string | undefined {
  if (typeof traits !== 'object' || traits === null) return undefined;
  const value = (traits as Record<string, unknown>).awsQueryError;
  return Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
}
