import type { StandardUnit } from '@aws-sdk/client-cloudwatch';

/** Every CloudWatch unit; `satisfies` makes the compiler reject a missing or misspelled one. */
const UNITS = {
  Seconds: true, Microseconds: true, Milliseconds: true,
  Bytes: true, Kilobytes: true, Megabytes: true, Gigabytes: true, Terabytes: true,
  Bits: true, Kilobits: true, Megabits: true, Gigabits: true, Terabits: true,
  Percent: true, Count: true,
  'Bytes/Second': true, 'Kilobytes/Second': true, 'Megabytes/Second': true, 'Gigabytes/Second': true, 'Terabytes/Second': true,
  'Bits/Second': true, 'Kilobits/Second': true, 'Megabits/Second': true, 'Gigabits/Second': true, 'Terabits/Second': true,
  'Count/Second': true, None: true,
} satisfies Record<StandardUnit, true>;

export function isStandardUnit(value: unknown): value is StandardUnit {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(UNITS, value);
}
