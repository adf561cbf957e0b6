import { AwsError } from '../../errors.js';

/** ECS's nextToken is opaque; here it is the base64 offset of the next item. */
export function page<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, defaultSize: number, maxSize = 100): { items: T[]; nextToken: string | undefined } {
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > maxSize)) {
    throw new AwsError('InvalidParameterException', `maxResults must be between 1 and ${maxSize}.`);
  }
  const start = nextToken ? Number.parseInt(Buffer.from(nextToken, 'base64').toString('utf8'), 10) : 0;
  if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidParameterException', 'Invalid nextToken: the token is not one this service issued.');
  const size = maxResults ?? defaultSize;
  const next = start + size < items.length ? Buffer.from(String(start + size)).toString('base64') : undefined;
  return { items: items.slice(start, start + size), nextToken: next };
}
