import { AwsError } from './errors.js';

/**
 * Field checks for operation inputs, with AWS's framework wording:
 * "1 validation error detected: Value null at 'repositoryName' failed to
 * satisfy constraint: Member must not be null". Services pass their own
 * error code (ECR: ValidationException, ECS: InvalidParameterException).
 */
export type FieldReader = {
  string(name: string): string;
  optionalString(name: string): string | undefined;
  optionalNumber(name: string): number | undefined;
  optionalBoolean(name: string): boolean | undefined;
  optionalStringList(name: string): string[] | undefined;
  /** A list of structures; what each holds is the caller's to check. */
  optionalObjectList<T extends object>(name: string): T[] | undefined;
};

export function fields(input: unknown, code = 'ValidationException'): FieldReader {
  const record = (input ?? {}) as Record<string, unknown>;
  const fail = (name: string, constraint: string, value: unknown): never => {
    const shown = value === undefined || value === null ? 'null' : `'${JSON.stringify(value)}'`;
    throw new AwsError(code, `1 validation error detected: Value ${shown} at '${name}' failed to satisfy constraint: ${constraint}`);
  };
  const optional = <T>(name: string, check: (v: unknown) => v is T, constraint: string): T | undefined => {
    const value = record[name];
    if (value === undefined || value === null) return undefined;
    return check(value) ? value : fail(name, constraint, value);
  };
  return {
    string(name) {
      const value = optional(name, isString, 'Member must be a string');
      return value === undefined || value === '' ? fail(name, 'Member must not be null', value) : value;
    },
    optionalString: (name) => optional(name, isString, 'Member must be a string'),
    optionalNumber: (name) => optional(name, isNumber, 'Member must be a number'),
    optionalBoolean: (name) => optional(name, isBoolean, 'Member must be a boolean'),
    optionalStringList: (name) => optional(name, isStringList, 'Member must be a list of strings'),
    optionalObjectList: <T extends object>(name: string) => optional(name, isObjectList, 'Member must be a list of structures') as T[] | undefined,
  };
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isObjectList = (v: unknown): v is object[] => Array.isArray(v) && v.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item));
