import { errors } from './catalogue.js';
import { jsonResponse, type RestRequest, type RestRoute } from '../../protocol/rest-json.js';
import { decodeJsonBody } from '../../protocol/json.js';
import type { InvokeOutput } from './operations.js';

/** Lambda's REST bindings (API version 2015-03-31) for the operations the emulator serves. */

const FUNCTIONS = '/2015-03-31/functions';

function jsonObject(body: string): Record<string, unknown> {
  const value = decodeJsonBody(body);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw errors.invalidValue('The request body must be a JSON object.');
  return value as Record<string, unknown>;
}

const qualifierOf = (r: RestRequest): Record<string, string> => {
  const q = r.query.get('Qualifier');
  return q ? { Qualifier: q } : {};
};

/** A Qualifier query parameter becomes part of the name, as the operations resolve ":qualifier". */
const nameOf = (r: RestRequest): { FunctionName: string } => {
  const name = r.labels.FunctionName ?? '';
  const q = qualifierOf(r).Qualifier;
  return { FunctionName: q ? `${name}:${q}` : name };
};

export const lambdaRoutes: readonly RestRoute[] = [
  {
    method: 'POST', path: FUNCTIONS, operation: 'CreateFunction',
    input: (r) => jsonObject(r.body),
    output: (out) => jsonResponse(201, out),
  },
  {
    method: 'GET', path: FUNCTIONS, operation: 'ListFunctions',
    input: (r) => {
      const max = r.query.get('MaxItems');
      return {
        ...(r.query.get('Marker') ? { Marker: r.query.get('Marker') } : {}),
        ...(max !== null ? { MaxItems: Number(max) } : {}),
      };
    },
    output: (out) => jsonResponse(200, out),
  },
  {
    method: 'GET', path: `${FUNCTIONS}/{FunctionName}`, operation: 'GetFunction',
    input: nameOf,
    output: (out) => jsonResponse(200, out),
  },
  {
    method: 'DELETE', path: `${FUNCTIONS}/{FunctionName}`, operation: 'DeleteFunction',
    input: nameOf,
    output: () => ({ status: 204, body: '' }),
  },
  {
    method: 'POST', path: `${FUNCTIONS}/{FunctionName}/invocations`, operation: 'Invoke',
    input: (r) => ({
      ...nameOf(r),
      ...(r.headers['x-amz-invocation-type'] ? { InvocationType: r.headers['x-amz-invocation-type'] } : {}),
      Payload: r.body,
    }),
    output: (out) => {
      const o = out as InvokeOutput;
      const headers: Record<string, string> = {};
      if (o.FunctionError) headers['X-Amz-Function-Error'] = o.FunctionError;
      if (o.ExecutedVersion) headers['X-Amz-Executed-Version'] = o.ExecutedVersion;
      return { status: o.StatusCode ?? 200, headers, body: o.Payload, contentType: 'application/json' };
    },
  },
];
