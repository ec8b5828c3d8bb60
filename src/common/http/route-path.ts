import type { FastifyRequest } from 'fastify';

/**
 * The path as the router saw it, for every check that asks "which route is this?". The raw
 * `request.url` is what the client typed: `/api/v1/auth/%6cogin`, `/%61pi/v1/…` and the absolute
 * form `http://host/api/v1/…` all reach the same handlers as their plain spelling, so comparing
 * the raw URL let each of them slip past a check. When a route matched, its pattern is returned
 * (`/api/v1/participants/:id`): decoded and normalised by the router itself, so no spelling of a
 * path can differ from it. For a request no route matched, the percent-decoded path with
 * duplicate and trailing slashes removed is returned (Fastify's 404 handler has no pattern).
 */
export function routePath(request: Pick<FastifyRequest, 'url' | 'routeOptions'>): string {
  const pattern = request.routeOptions?.url;
  if (pattern && !pattern.includes('*')) return pattern;
  return normalisedPath(request.url);
}

/** The decoded path of a raw request target (origin or absolute form), without its query. */
export function normalisedPath(url: string): string {
  let path = url.split(/[?#]/, 1)[0];
  // The absolute form (`GET http://host/path`) is a valid request target; its path is what routes.
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(path);
  if (scheme) path = path.slice(scheme[0].length) || '/';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    decoded = path;
  }
  const collapsed = decoded.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}
