import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CborError, CborSimple, CborTag, decodeCbor, encodeCbor, MAX_CBOR_DEPTH } from '../../src/emulator/protocol/cbor.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/**
 * RFC 8949 Appendix A: each value with its encoding. `encodes` is false where
 * the encoder rightly picks another form (it writes doubles, never halves or
 * singles, and integral numbers as integers).
 */
const appendixA: Array<{ cbor: string; value: unknown; encodes?: boolean }> = [
  { cbor: '00', value: 0 },
  { cbor: '01', value: 1 },
  { cbor: '0a', value: 10 },
  { cbor: '17', value: 23 },
  { cbor: '1818', value: 24 },
  { cbor: '1819', value: 25 },
  { cbor: '1864', value: 100 },
  { cbor: '1903e8', value: 1000 },
  { cbor: '1a000f4240', value: 1000000 },
  { cbor: '1b000000e8d4a51000', value: 1000000000000 },
  { cbor: '1bffffffffffffffff', value: 18446744073709551615n },
  { cbor: 'c249010000000000000000', value: 18446744073709551616n },
  { cbor: '3bffffffffffffffff', value: -18446744073709551616n },
  { cbor: 'c349010000000000000000', value: -18446744073709551617n },
  { cbor: '20', value: -1 },
  { cbor: '29', value: -10 },
  { cbor: '3863', value: -100 },
  { cbor: '3903e7', value: -1000 },
  { cbor: 'f90000', value: 0, encodes: false },
  { cbor: 'f98000', value: -0, encodes: false },
  { cbor: 'f93c00', value: 1, encodes: false },
  { cbor: 'fb3ff199999999999a', value: 1.1 },
  { cbor: 'f93e00', value: 1.5, encodes: false },
  { cbor: 'f97bff', value: 65504, encodes: false },
  { cbor: 'fa47c35000', value: 100000, encodes: false },
  { cbor: 'fa7f7fffff', value: 3.4028234663852886e38, encodes: false },
  { cbor: 'fb7e37e43c8800759c', value: 1.0e300 },
  { cbor: 'f90001', value: 5.960464477539063e-8, encodes: false },
  { cbor: 'f90400', value: 0.00006103515625, encodes: false },
  { cbor: 'f9c400', value: -4, encodes: false },
  { cbor: 'fbc010666666666666', value: -4.1 },
  { cbor: 'f97c00', value: Infinity, encodes: false },
  { cbor: 'f97e00', value: NaN, encodes: false },
  { cbor: 'f9fc00', value: -Infinity, encodes: false },
  { cbor: 'fa7f800000', value: Infinity, encodes: false },
  { cbor: 'fa7fc00000', value: NaN, encodes: false },
  { cbor: 'faff800000', value: -Infinity, encodes: false },
  { cbor: 'fb7ff0000000000000', value: Infinity },
  { cbor: 'fb7ff8000000000000', value: NaN },
  { cbor: 'fbfff0000000000000', value: -Infinity },
  { cbor: 'f4', value: false },
  { cbor: 'f5', value: true },
  { cbor: 'f6', value: null },
  { cbor: 'f7', value: undefined },
  { cbor: 'f0', value: new CborSimple(16) },
  { cbor: 'f8ff', value: new CborSimple(255) },
  { cbor: 'c074323031332d30332d32315432303a30343a30305a', value: new Date('2013-03-21T20:04:00Z'), encodes: false },
  { cbor: 'c11a514b67b0', value: new Date(1363896240 * 1000), encodes: false },
  { cbor: 'c1fb41d452d9ec200000', value: new Date(1363896240500) },
  { cbor: 'd74401020304', value: new CborTag(23, hex('01020304')) },
  { cbor: 'd818456449455446', value: new CborTag(24, hex('6449455446')) },
  { cbor: 'd82076687474703a2f2f7777772e6578616d706c652e636f6d', value: new CborTag(32, 'http://www.example.com') },
  { cbor: '40', value: new Uint8Array() },
  { cbor: '4401020304', value: hex('01020304') },
  { cbor: '60', value: '' },
  { cbor: '6161', value: 'a' },
  { cbor: '6449455446', value: 'IETF' },
  { cbor: '62225c', value: '"\\' },
  { cbor: '62c3bc', value: '\u00fc' },
  { cbor: '63e6b0b4', value: '\u6c34' },
  { cbor: '64f0908591', value: '\ud800\udd51' },
  { cbor: '80', value: [] },
  { cbor: '83010203', value: [1, 2, 3] },
  { cbor: '8301820203820405', value: [1, [2, 3], [4, 5]] },
  {
    cbor: '98190102030405060708090a0b0c0d0e0f101112131415161718181819',
    value: Array.from({ length: 25 }, (_, i) => i + 1),
  },
  { cbor: 'a0', value: {} },
  // Integer keys decode to their decimal text, as a JSON object would hold them.
  { cbor: 'a201020304', value: { 1: 2, 3: 4 }, encodes: false },
  { cbor: 'a26161016162820203', value: { a: 1, b: [2, 3] } },
  { cbor: '826161a161626163', value: ['a', { b: 'c' }] },
  { cbor: 'a56161614161626142616361436164614461656145', value: { a: 'A', b: 'B', c: 'C', d: 'D', e: 'E' } },
  { cbor: '5f42010243030405ff', value: hex('0102030405'), encodes: false },
  { cbor: '7f657374726561646d696e67ff', value: 'streaming', encodes: false },
  { cbor: '9fff', value: [], encodes: false },
  { cbor: '9f018202039f0405ffff', value: [1, [2, 3], [4, 5]], encodes: false },
  { cbor: '9f01820203820405ff', value: [1, [2, 3], [4, 5]], encodes: false },
  { cbor: '83018202039f0405ff', value: [1, [2, 3], [4, 5]], encodes: false },
  { cbor: '83019f0203ff820405', value: [1, [2, 3], [4, 5]], encodes: false },
  {
    cbor: '9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff',
    value: Array.from({ length: 25 }, (_, i) => i + 1),
    encodes: false,
  },
  { cbor: 'bf61610161629f0203ffff', value: { a: 1, b: [2, 3] }, encodes: false },
  { cbor: '826161bf61626163ff', value: ['a', { b: 'c' }], encodes: false },
  { cbor: 'bf6346756ef563416d7421ff', value: { Fun: true, Amt: -2 }, encodes: false },
];

test('decodes every example of RFC 8949 Appendix A', () => {
  for (const { cbor, value } of appendixA) {
    assert.deepEqual(decodeCbor(hex(cbor)), value, cbor);
  }
});

test('encodes Appendix A values to the same bytes where the smallest form is the one shown', () => {
  for (const { cbor, value, encodes } of appendixA) {
    if (encodes === false) continue;
    assert.equal(toHex(encodeCbor(value)), cbor, `${String(value)} -> ${cbor}`);
  }
});

test('encodes integral numbers as integers, other numbers as doubles, Dates as tag 1 over a double', () => {
  const cases: Array<[unknown, string]> = [
    [0, '00'],
    [80, '1850'],
    [-0, 'fb8000000000000000'],
    [0.5, 'fb3fe0000000000000'],
    [2 ** 53 + 2, 'fb4340000000000001'],
    [new Date(0), 'c1fb0000000000000000'],
    [new Date(1700000000000), 'c1fb41d954fc40000000'],
    [{ a: undefined, b: 1 }, 'a1616201'],
    [[undefined], '81f7'],
    [new Map<unknown, unknown>([[1, 'x']]), 'a1016178'],
  ];
  for (const [value, cbor] of cases) assert.equal(toHex(encodeCbor(value)), cbor, String(value));
});

test('round trips values of every kind', () => {
  const values: unknown[] = [
    { AlarmName: 'cpu', Threshold: 80.5, EvaluationPeriods: 3, ActionsEnabled: false, Dimensions: [{ Name: 'ServiceName', Value: 'web' }] },
    { Values: [1, 2.5, -3, 1e-7, 1.7976931348623157e308], Counts: [], At: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)) },
    { blob: hex('00ff10'), nested: [[[['deep']]]], text: 'ünïcödé ☃ \u{1f600}', empty: '' },
    { big: 2n ** 70n, small: -(2n ** 64n) - 5n, max: Number.MAX_SAFE_INTEGER, min: Number.MIN_SAFE_INTEGER },
    [null, true, false, -1, 'x'.repeat(70_000)],
  ];
  for (const value of values) assert.deepEqual(decodeCbor(encodeCbor(value)), value);
});

test('map keys are own data properties, even __proto__', () => {
  // {"__proto__": {"polluted": true}}
  const decoded = decodeCbor(encodeCbor(JSON.parse('{"__proto__": {"polluted": true}}'))) as Record<string, unknown>;
  assert.ok(Object.prototype.hasOwnProperty.call(decoded, '__proto__'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(decoded), Object.prototype);
});

test('malformed data is refused with a CborError that says why', () => {
  const cases: Array<[string, RegExp]> = [
    ['', /ends in the middle/],
    ['18', /ends in the middle/],
    ['1c', /reserved additional information 28/],
    ['0001', /1 bytes follow the end/],
    ['ff', /unexpected break/],
    ['8201ff', /unexpected break/],
    ['5affffffff00', /runs past the end/],
    ['9bffffffffffffffff', /cannot fit/],
    ['62c328', /not valid UTF-8/],
    ['5f4101610262ff', /same type/],
    ['1f', /cannot have an indefinite length/],
    ['9f01', /ends in the middle/],
    ['5f', /ends inside an indefinite-length item/],
    ['a18101f5', /map keys must be text or integers/],
    ['c16161', /tag 1 must enclose a finite number/],
    ['c06161', /not a date\/time/],
    ['f818', /must be encoded in the initial byte/],
  ];
  for (const [cbor, message] of cases) {
    assert.throws(() => decodeCbor(hex(cbor)), (err: unknown) => err instanceof CborError && message.test(err.message), cbor);
  }
});

test(`data nested more than ${MAX_CBOR_DEPTH} levels deep is refused, not a stack overflow`, () => {
  const deep = new Uint8Array(100_000).fill(0x81);
  assert.throws(() => decodeCbor(deep), /nests more than 64 levels/);
  assert.throws(() => decodeCbor(new Uint8Array(100_000).fill(0x9f)), /nests more than 64 levels/);
  let value: unknown = 1;
  for (let i = 0; i < 100; i += 1) value = [value];
  assert.throws(() => encodeCbor(value), /nests more than 64 levels/);
});

test('values with no CBOR form are refused', () => {
  assert.throws(() => encodeCbor(() => 1), /cannot encode a function/);
  assert.throws(() => encodeCbor(new Date(NaN)), /invalid Date/);
});
