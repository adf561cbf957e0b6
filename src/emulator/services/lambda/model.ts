import type { FunctionConfiguration } from '@aws-sdk/client-lambda';

/** One function: its configuration as GetFunction shows it, and its tags. */
export interface StoredFunction {
  configuration: FunctionConfiguration & { FunctionName: string; FunctionArn: string };
  tags: Record<string, string>;
}

/** What a function does when invoked: the emulator runs no Lambda runtime, only these. */
export type LocalTarget =
  | { kind: 'url'; url: string }
  | { kind: 'command'; argv: [string, ...string[]]; cwd: string | undefined };

/** How an invocation ended, before it is rendered as Invoke's response. */
export type InvocationResult =
  | { kind: 'returned'; payload: string }
  /** The function failed: `payload` is Lambda's {errorType, errorMessage} document. */
  | { kind: 'function-error'; payload: string };
