/**
 * CBOR (RFC 8949), the encoding of Smithy's rpc-v2-cbor protocol.
 *
 * Decoding reads every well-formed item: integers (as bigint beyond 2^53),
 * byte and text strings, arrays and maps of definite or indefinite length,
 * tags, half/single/double floats and simple values. Tags 0 and 1 become
 * Dates, tags 2 and 3 bigints; any other tag is kept as a CborTag.
 *
 * Encoding writes the smallest integer heads, integral numbers as integers,
 * other numbers as doubles, and Dates as tag 1 over a double of epoch seconds
 * (what Smithy sends for timestamps). Object members that are undefined are
 * left out, as JSON.stringify leaves them out.
 */

/** A tagged item whose tag has no JS type of its own here. */
export class CborTag {
  constructor(readonly tag: number | bigint, readonly value: unknown) {}
}

/** A simple value (major type 7) other than false, true, null and undefined. */
export class CborSimple {
  constructor(readonly value: number) {}
}

export class CborError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CborError';
  }
}

/**
 * Deeper than any Smithy shape nests. Decoding recurses, so a body nested
 * thousands of levels deep must be refused before it overflows the stack.
 */
export const MAX_CBOR_DEPTH = 64;

const MAJOR_UNSIGNED = 0;
const MAJOR_NEGATIVE = 1;
const MAJOR_BYTES = 2;
const MAJOR_TEXT = 3;
const MAJOR_ARRAY = 4;
const MAJOR_MAP = 5;
const MAJOR_TAG = 6;
const MAJOR_SIMPLE = 7;
const INDEFINITE = 31;
const BREAK = 0xff;

const TAG_DATE_TEXT = 0;
const TAG_EPOCH = 1;
const TAG_POSITIVE_BIGNUM = 2;
const TAG_NEGATIVE_BIGNUM = 3;

// ---------------------------------------------------------------- decoding

/** Decodes one CBOR data item that fills `bytes` exactly. */
export function decodeCbor(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = reader.item(0);
  if (value === BREAK_MARK) throw new CborError('unexpected break (0xff) outside an indefinite-length item');
  if (reader.offset !== bytes.length) {
    throw new CborError(`${bytes.length - reader.offset} bytes follow the end of the data item at offset ${reader.offset}`);
  }
  return value;
}

/** Returned by item() for the break code, which only ends indefinite-length items. */
const BREAK_MARK = Symbol('break');

const utf8 = new TextDecoder('utf-8', { fatal: true });

class Reader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  item(depth: number): unknown {
    if (depth > MAX_CBOR_DEPTH) throw new CborError(`the data nests more than ${MAX_CBOR_DEPTH} levels deep`);
    const initial = this.byte();
    const major = initial >> 5;
    const info = initial & 0x1f;
    if (major === MAJOR_SIMPLE) return this.simple(info);
    if (info === INDEFINITE) return this.indefinite(major, depth);
    const argument = this.argument(info);
    switch (major) {
      case MAJOR_UNSIGNED:
        return narrow(argument);
      case MAJOR_NEGATIVE:
        return narrow(-1n - argument);
      case MAJOR_BYTES:
        return this.take(this.length(argument)).slice();
      case MAJOR_TEXT:
        return this.text(this.take(this.length(argument)));
      case MAJOR_ARRAY: {
        const count = this.count(argument, 1);
        const items: unknown[] = [];
        for (let i = 0; i < count; i += 1) items.push(this.definiteChild(depth));
        return items;
      }
      case MAJOR_MAP: {
        const count = this.count(argument, 2);
        const map = new MapBuilder();
        for (let i = 0; i < count; i += 1) map.set(this.definiteChild(depth), this.definiteChild(depth));
        return map.result();
      }
      default:
        return tagged(narrow(argument), this.definiteChild(depth));
    }
  }

  private definiteChild(depth: number): unknown {
    const value = this.item(depth + 1);
    if (value === BREAK_MARK) throw new CborError(`unexpected break (0xff) at offset ${this.offset - 1}`);
    return value;
  }

  private indefinite(major: number, depth: number): unknown {
    switch (major) {
      case MAJOR_BYTES:
      case MAJOR_TEXT: {
        const chunks: Uint8Array[] = [];
        for (;;) {
          if (this.peek() === BREAK) {
            this.offset += 1;
            break;
          }
          const head = this.byte();
          if (head >> 5 !== major || (head & 0x1f) === INDEFINITE) {
            throw new CborError(`a chunk of an indefinite-length ${major === MAJOR_BYTES ? 'byte' : 'text'} string must be a definite string of the same type (offset ${this.offset - 1})`);
          }
          chunks.push(this.take(this.length(this.argument(head & 0x1f))));
        }
        const joined = concat(chunks);
        return major === MAJOR_BYTES ? joined : this.text(joined);
      }
      case MAJOR_ARRAY: {
        const items: unknown[] = [];
        for (;;) {
          const value = this.item(depth + 1);
          if (value === BREAK_MARK) return items;
          items.push(value);
        }
      }
      case MAJOR_MAP: {
        const map = new MapBuilder();
        for (;;) {
          const key = this.item(depth + 1);
          if (key === BREAK_MARK) return map.result();
          map.set(key, this.definiteChild(depth));
        }
      }
      default:
        throw new CborError(`major type ${major} cannot have an indefinite length (offset ${this.offset - 1})`);
    }
  }

  private simple(info: number): unknown {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 24: {
        const value = this.byte();
        if (value < 32) throw new CborError(`simple value ${value} must be encoded in the initial byte`);
        return new CborSimple(value);
      }
      case 25:
        return halfToNumber(this.read(2, () => this.view.getUint16(this.offset)));
      case 26:
        return this.read(4, () => this.view.getFloat32(this.offset));
      case 27:
        return this.read(8, () => this.view.getFloat64(this.offset));
      case INDEFINITE:
        return BREAK_MARK;
      default:
        if (info < 20) return new CborSimple(info);
        throw new CborError(`reserved additional information ${info} in major type 7 (offset ${this.offset - 1})`);
    }
  }

  private argument(info: number): bigint {
    if (info < 24) return BigInt(info);
    switch (info) {
      case 24:
        return BigInt(this.byte());
      case 25:
        return BigInt(this.read(2, () => this.view.getUint16(this.offset)));
      case 26:
        return BigInt(this.read(4, () => this.view.getUint32(this.offset)));
      case 27:
        return this.read(8, () => this.view.getBigUint64(this.offset));
      default:
        throw new CborError(`reserved additional information ${info} (offset ${this.offset - 1})`);
    }
  }

  /** A string length, refused early when the bytes cannot be there. */
  private length(argument: bigint): number {
    const remaining = this.bytes.length - this.offset;
    if (argument > BigInt(remaining)) throw new CborError(`a string of ${argument} bytes runs past the end of the data`);
    return Number(argument);
  }

  /** An item count: each item takes at least one byte (two for a map entry). */
  private count(argument: bigint, bytesPerItem: number): number {
    const remaining = this.bytes.length - this.offset;
    if (argument * BigInt(bytesPerItem) > BigInt(remaining)) throw new CborError(`${argument} items cannot fit in the ${remaining} bytes left`);
    return Number(argument);
  }

  private text(bytes: Uint8Array): string {
    try {
      return utf8.decode(bytes);
    } catch {
      throw new CborError('a text string is not valid UTF-8');
    }
  }

  private byte(): number {
    if (this.offset >= this.bytes.length) throw new CborError('the data ends in the middle of an item');
    const value = this.bytes[this.offset] ?? 0;
    this.offset += 1;
    return value;
  }

  private peek(): number {
    if (this.offset >= this.bytes.length) throw new CborError('the data ends inside an indefinite-length item');
    return this.bytes[this.offset] ?? 0;
  }

  private take(n: number): Uint8Array {
    const start = this.offset;
    this.offset += n;
    return this.bytes.subarray(start, this.offset);
  }

  private read<T>(n: number, get: () => T): T {
    if (this.offset + n > this.bytes.length) throw new CborError('the data ends in the middle of an item');
    const value = get();
    this.offset += n;
    return value;
  }
}

/**
 * Collects map entries into a plain object. Keys are defined as own
 * properties, so "__proto__" is data, never the prototype. Integer keys
 * become their decimal text, as JSON would write them.
 */
class MapBuilder {
  private readonly object: Record<string, unknown> = {};

  set(key: unknown, value: unknown): void {
    let name: string;
    if (typeof key === 'string') name = key;
    else if (typeof key === 'number' || typeof key === 'bigint') name = String(key);
    else throw new CborError(`map keys must be text or integers, not ${describe(key)}`);
    Object.defineProperty(this.object, name, { value, enumerable: true, writable: true, configurable: true });
  }

  result(): Record<string, unknown> {
    return this.object;
  }
}

function tagged(tag: number | bigint, value: unknown): unknown {
  switch (tag) {
    case TAG_DATE_TEXT: {
      if (typeof value !== 'string') throw new CborError(`tag 0 must enclose a text date/time, not ${describe(value)}`);
      const date = new Date(value);
      if (Number.isNaN(date.getTime())) throw new CborError(`tag 0 encloses ${JSON.stringify(value)}, which is not a date/time`);
      return date;
    }
    case TAG_EPOCH: {
      const seconds = typeof value === 'bigint' ? Number(value) : value;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds)) throw new CborError(`tag 1 must enclose a finite number of epoch seconds, not ${describe(value)}`);
      return new Date(seconds * 1000);
    }
    case TAG_POSITIVE_BIGNUM:
    case TAG_NEGATIVE_BIGNUM: {
      if (!(value instanceof Uint8Array)) throw new CborError(`tag ${tag} must enclose a byte string, not ${describe(value)}`);
      let n = 0n;
      for (const byte of value) n = (n << 8n) | BigInt(byte);
      return tag === TAG_POSITIVE_BIGNUM ? n : -1n - n;
    }
    default:
      return new CborTag(tag, value);
  }
}

/** A number when it is exact, else the bigint. */
function narrow(n: bigint): number | bigint {
  return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(n) : n;
}

/** IEEE 754 binary16 to a number (RFC 8949 Appendix D). */
function halfToNumber(half: number): number {
  const exponent = (half >> 10) & 0x1f;
  const mantissa = half & 0x3ff;
  const sign = half & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (mantissa + 1024) * 2 ** (exponent - 25);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return 'a byte string';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'a map' : `${typeof value} ${String(value)}`;
}

// ---------------------------------------------------------------- encoding

/** Encodes a value as one CBOR data item. */
export function encodeCbor(value: unknown): Uint8Array {
  const writer = new Writer();
  writer.item(value, 0);
  return writer.bytes();
}

const MAX_UINT64 = (1n << 64n) - 1n;
const utf8Encoder = new TextEncoder();

class Writer {
  private buffer = new Uint8Array(256);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  bytes(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  item(value: unknown, depth: number): void {
    if (depth > MAX_CBOR_DEPTH) throw new CborError(`the value nests more than ${MAX_CBOR_DEPTH} levels deep`);
    if (value === false) return this.byte(0xf4);
    if (value === true) return this.byte(0xf5);
    if (value === null) return this.byte(0xf6);
    if (value === undefined) return this.byte(0xf7);
    if (typeof value === 'number') return this.number(value);
    if (typeof value === 'bigint') return this.bigint(value);
    if (typeof value === 'string') {
      const bytes = utf8Encoder.encode(value);
      this.head(MAJOR_TEXT, BigInt(bytes.length));
      return this.append(bytes);
    }
    if (value instanceof Uint8Array) {
      this.head(MAJOR_BYTES, BigInt(value.length));
      return this.append(value);
    }
    if (value instanceof Date) {
      const ms = value.getTime();
      if (Number.isNaN(ms)) throw new CborError('cannot encode an invalid Date');
      this.head(MAJOR_TAG, BigInt(TAG_EPOCH));
      return this.double(ms / 1000);
    }
    if (value instanceof CborTag) {
      this.head(MAJOR_TAG, BigInt(value.tag));
      return this.item(value.value, depth + 1);
    }
    if (value instanceof CborSimple) {
      if (value.value < 24) return this.byte(0xe0 | value.value);
      this.byte(0xf8);
      return this.byte(value.value);
    }
    if (Array.isArray(value)) {
      this.head(MAJOR_ARRAY, BigInt(value.length));
      for (const item of value) this.item(item, depth + 1);
      return;
    }
    if (value instanceof Map) {
      this.head(MAJOR_MAP, BigInt(value.size));
      for (const [k, v] of value) {
        this.item(k, depth + 1);
        this.item(v, depth + 1);
      }
      return;
    }
    if (typeof value === 'object') {
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      this.head(MAJOR_MAP, BigInt(entries.length));
      for (const [k, v] of entries) {
        this.item(k, depth + 1);
        this.item(v, depth + 1);
      }
      return;
    }
    throw new CborError(`cannot encode a ${typeof value} in CBOR`);
  }

  private number(n: number): void {
    // -0 is integral but an integer head would lose its sign.
    if (Number.isSafeInteger(n) && !Object.is(n, -0)) return this.bigint(BigInt(n));
    this.double(n);
  }

  private bigint(n: bigint): void {
    if (n >= 0n && n <= MAX_UINT64) return this.head(MAJOR_UNSIGNED, n);
    if (n < 0n && -1n - n <= MAX_UINT64) return this.head(MAJOR_NEGATIVE, -1n - n);
    const magnitude = n < 0n ? -1n - n : n;
    const hex = magnitude.toString(16);
    const digits = hex.length % 2 === 0 ? hex : `0${hex}`;
    const bytes = Uint8Array.from(digits.match(/../g) ?? [], (pair) => parseInt(pair, 16));
    this.head(MAJOR_TAG, BigInt(n < 0n ? TAG_NEGATIVE_BIGNUM : TAG_POSITIVE_BIGNUM));
    this.head(MAJOR_BYTES, BigInt(bytes.length));
    this.append(bytes);
  }

  private double(n: number): void {
    this.ensure(9);
    this.buffer[this.length] = 0xfb;
    this.view.setFloat64(this.length + 1, n);
    this.length += 9;
  }

  /** The initial byte and argument, in the fewest bytes that hold it. */
  private head(major: number, argument: bigint): void {
    const top = major << 5;
    this.ensure(9);
    if (argument < 24n) {
      this.buffer[this.length++] = top | Number(argument);
    } else if (argument <= 0xffn) {
      this.buffer[this.length++] = top | 24;
      this.buffer[this.length++] = Number(argument);
    } else if (argument <= 0xffffn) {
      this.buffer[this.length++] = top | 25;
      this.view.setUint16(this.length, Number(argument));
      this.length += 2;
    } else if (argument <= 0xffffffffn) {
      this.buffer[this.length++] = top | 26;
      this.view.setUint32(this.length, Number(argument));
      this.length += 4;
    } else {
      this.buffer[this.length++] = top | 27;
      this.view.setBigUint64(this.length, argument);
      this.length += 8;
    }
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buffer[this.length++] = b;
  }

  private append(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
    this.view = new DataView(grown.buffer);
  }
}
