import { AwsError } from '../errors.js';

/**
 * restJson1: the operation is named by method and path (labels such as
 * {FunctionName} in it), members travel in the path, query, headers and a
 * JSON (or raw) body; errors carry their code in x-amzn-ErrorType.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RestRequest {
  /** Path labels, URL-decoded. */
  labels: Readonly<Record<string, string>>;
  query: URLSearchParams;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string | undefined>>;
  body: string;
}

export interface RestResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON text, or the raw payload of an operation whose output is a blob. */
  body: string;
  contentType?: string;
}

/** One operation's HTTP binding: how its input is read and its output written. */
export interface RestRoute {
  method: HttpMethod;
  /** A path template, e.g. /2015-03-31/functions/{FunctionName}/invocations. */
  path: string;
  operation: string;
  input(request: RestRequest): Record<string, unknown>;
  output(output: unknown): RestResponse;
}

/** Trailing slashes are not significant: the SDK sends /functions, the AWS CLI /functions/. */
const segmentsOf = (path: string): string[] => path.split('/').filter((s) => s.length > 0);

/** The labels of `path` when it fits `template`, else undefined. */
export function matchPath(template: string, path: string): Record<string, string> | undefined {
  const want = segmentsOf(template);
  const got = segmentsOf(path);
  if (want.length !== got.length) return undefined;
  const labels: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith('{') && w.endsWith('}')) {
      try {
        labels[w.slice(1, -1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return labels;
}

/** A JSON response body, Dates as epoch seconds (restJson1 timestamps in bodies). */
export function jsonResponse(status: number, value: unknown): RestResponse {
  const body = JSON.stringify(value ?? {}, function (this: Record<string, unknown>, key: string, v: unknown) {
    const original = this[key];
    return original instanceof Date ? original.getTime() / 1000 : v;
  });
  return { status, body, contentType: 'application/json' };
}

export function restJsonError(err: AwsError): RestResponse {
  return {
    status: err.status,
    headers: { 'x-amzn-ErrorType': err.code },
    body: JSON.stringify({ Type: err.fault === 'Sender' ? 'User' : 'Service', message: err.message }),
    contentType: 'application/json',
  };
}
