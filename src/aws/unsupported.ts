/**
 * Errors that mean "this endpoint does not offer this operation": older
 * regions and partitions, other emulators, or ours for what it does not
 * emulate. Callers treat the feature as unavailable rather than failing.
 */
const UNSUPPORTED = new Set(['UnsupportedOperation', 'UnknownOperationException', 'InvalidAction', 'UnsupportedFeatureException']);

export function isUnsupportedOperation(err: unknown): boolean {
  return err instanceof Error && UNSUPPORTED.has(err.name);
}
