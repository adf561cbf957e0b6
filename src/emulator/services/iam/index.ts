import * as iamSchemas from '@aws-sdk/client-iam';
import type { Clock } from '../../clock.js';
import { typeQueryInput } from '../../protocol/query-shapes.js';
import { modelFromSdkSchemas, type ServiceModel } from '../../protocol/smithy-model.js';
import { defineService, type EmulatedService, type Operation } from '../../service.js';
import type { Persistent } from '../../state-directory.js';
import { iamOperations } from './operations.js';
import { IamStore } from './store.js';

/**
 * The emulated IAM API: roles, as a preflight check reads them. IAM speaks
 * awsQuery only (SDK v3, botocore and the AWS CLI alike), version
 * 2010-05-08, signing name "iam". Its operations are written against the
 * typed values the SDK's types describe; the awsQuery text is converted with
 * the shapes `@aws-sdk/client-iam` exports, as CloudWatch's awsQuery is.
 */
export function createIam(deps: { clock: Clock }): { service: EmulatedService; state: Persistent } {
  const store = new IamStore();
  const model = modelFromSdkSchemas(iamSchemas);
  const service = defineService(
    {
      name: 'IAM',
      protocol: 'awsQuery',
      signingName: 'iam',
      queryVersion: '2010-05-08',
      xmlNamespace: 'https://iam.amazonaws.com/doc/2010-05-08/',
      model,
    },
    typedFromQueryText(iamOperations(store, deps.clock), model),
  );
  return { service, state: store };
}

/** Each operation of `table`, handed its awsQuery parameters typed by the operation's input shape. */
function typedFromQueryText<T extends Record<string, Operation<never, unknown>>>(table: T, model: ServiceModel): T {
  return Object.fromEntries(
    Object.entries(table).map(([name, op]) => {
      const shape = model.input(name);
      const typed: Operation<Record<string, unknown>, unknown> = (input, ctx) =>
        (op as Operation<unknown, unknown>)(shape ? typeQueryInput(input, shape) : input, ctx);
      return [name, typed];
    }),
  ) as unknown as T;
}
