import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';

/** What helmet sends on every answer (Swagger UI at /docs is the only HTML served). */
export const SECURITY_HEADER_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      // Swagger UI at /docs needs inline styles and its own scripts; nothing else is served as HTML.
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      scriptSrc: ["'self'"],
    },
  },
  hsts: { maxAge: 31_536_000, includeSubDomains: true },
};

export interface SecurityHeaders {
  set: readonly (readonly [string, string])[];
  removed: readonly string[];
}

/**
 * Runs helmet's own middleware once against a recording response and keeps what it did. With
 * static options (no nonces, no directive computed per request) helmet does the same thing on
 * every request; @fastify/helmet instead rebuilt the middleware from the options on every request
 * (parsing the CSP directives each time), a visible share of the API's CPU per request.
 */
export function computeSecurityHeaders(options: HelmetOptions): SecurityHeaders {
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  if (directives.some((d) => typeof d === 'function' || (Array.isArray(d) && d.some((v) => typeof v === 'function')))) {
    throw new Error('security headers: a CSP directive computed per request cannot be sent as a constant');
  }
  const set = new Map<string, string>();
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      set.set(name, Array.isArray(value) ? value.join(', ') : String(value));
      return recorder;
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.push(name);
    },
  };
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  // helmet's middleware is synchronous; if a future version is not, the constant would be incomplete.
  if (!finished) throw new Error('security headers: helmet did not finish synchronously');
  return { set: [...set], removed };
}

/**
 * What every answer carries besides helmet's headers: its request id, and `Cache-Control:
 * no-store` on everything (API, health, docs and errors alike). Answers hold case data and
 * personal data; deciding by path which of them a cache may keep is how a percent-encoded spelling
 * of a path once lost the header, so no answer is decided by path.
 */
export function applyBaseHeaders(raw: Pick<ServerResponse, 'setHeader' | 'removeHeader'>, headers: SecurityHeaders, requestId: string): void {
  for (const [name, value] of headers.set) raw.setHeader(name, value);
  for (const name of headers.removed) raw.removeHeader(name);
  raw.setHeader('X-Request-Id', requestId);
  raw.setHeader('Cache-Control', 'no-store');
}

/**
 * Sends the headers on every request (answers and errors, routes and 404s alike), on the raw
 * response as helmet does. Registered before any other onRequest hook, so that an answer a later
 * hook sends (the 503 while shutting down) has them too; errors Fastify answers before any hook
 * runs get them from framework-errors.ts.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, headers: SecurityHeaders = computeSecurityHeaders(SECURITY_HEADER_OPTIONS)): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    applyBaseHeaders(reply.raw, headers, String(request.id));
    done();
  });
}
