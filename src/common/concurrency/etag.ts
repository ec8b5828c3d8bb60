import { ProblemException } from '../problem/problem';

/** Strong ETag of a record version: `"3"`. */
export function etagFor(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` header names, or undefined when absent or `*`.
 * A malformed header is a 400, never silently ignored.
 */
export function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = (Array.isArray(header) ? header.join(',') : header).trim();
  if (value === '' || value === '*') return undefined;
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(value);
  if (!match) {
    throw new ProblemException(400, 'If-Match must be one ETag as returned by GET, e.g. "3".', {
      slug: 'validation',
      title: 'Validation failed',
      errors: [{ field: 'If-Match', message: 'is not a single ETag' }],
    });
  }
  return Number(match[1]);
}

/** 412 when the client's If-Match no longer names the current version. */
export function assertVersion(current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current) {
    throw new ProblemException(412, `The record has changed (version ${current}); fetch it again and reapply your change.`, {
      slug: 'stale-version',
      currentVersion: current,
    });
  }
}
