import { Transform, TransformCallback } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  assertObjectBody, assertSafeInput, BULK_JSON_VALUES, bodyShapeProblem, JsonShapeScanner, MAX_JSON_VALUES, PUBLIC_JSON_VALUES,
} from '../validation/input-shape';
import { routePath } from './route-path';

/** Routes whose bodies legitimately hold more values than a single record (see BULK_JSON_VALUES). */
const BULK_ROUTES = new Set(['POST /api/v1/sync']);

/**
 * How many values a route's body may hold: few on routes anyone may call (`publicRoutes`, read from
 * the access metadata once the routes exist, so a new public route is covered without a list to
 * keep), many on bulk routes, otherwise the size of the largest record. Routes are named by the
 * pattern the router matched (route-path.ts), so no spelling of a path changes its budget.
 */
export class BodyBudgets {
  private readonly publicRoutes = new Set<string>();

  setPublicRoutes(routes: Iterable<{ method: string; path: string }>): void {
    this.publicRoutes.clear();
    for (const route of routes) this.publicRoutes.add(`${route.method} ${route.path}`);
  }

  maxValues(request: FastifyRequest): number {
    const route = `${request.method} ${routePath(request)}`;
    if (this.publicRoutes.has(route)) return PUBLIC_JSON_VALUES;
    return BULK_ROUTES.has(route) ? BULK_JSON_VALUES : MAX_JSON_VALUES;
  }
}

/** Passes the body through while measuring its shape; fails at the first limit it exceeds. */
class ShapeCheckedBody extends Transform {
  /** Fastify applies the body limit to this count when a preParsing hook replaces the stream. */
  receivedEncodedLength = 0;

  constructor(private readonly scanner: JsonShapeScanner) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.receivedEncodedLength += chunk.length;
    const problem = this.scanner.push(chunk);
    callback(problem ? bodyShapeProblem(problem) : null, problem ? undefined : chunk);
  }
}

/**
 * What the client still sends after its body was refused is read and dropped, so that it gets the
 * problem instead of a reset connection (closing a socket with unread data makes the kernel send a
 * reset, which can discard the answer before the client reads it). Reading stops, and the
 * connection is closed, once more than the body limit would have allowed has come.
 */
function discardRest(payload: NodeJS.ReadableStream & { destroy?(): void }, bodyLimit: number): void {
  let discarded = 0;
  payload.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > bodyLimit) payload.destroy?.();
  });
  payload.resume();
}

const isJson = (request: FastifyRequest) => (request.headers['content-type'] ?? '').split(';', 1)[0].trim().toLowerCase() === 'application/json';

/**
 * Request bodies are JSON and nothing else, and are measured while they arrive. Every route takes
 * application/json (the OpenAPI document lists no other request type; CSV is only ever answered,
 * never sent); Fastify's text/plain parser and the form parser Nest adds let a form-encoded login
 * through, so all parsers are replaced by this one and any other media type is a 415 problem from
 * Fastify. The shape is checked as the bytes come in, before JSON.parse, authentication, guards,
 * the validation pipe or any handler: an oversized shape is refused at its first offending
 * kilobyte, whoever sends it, and never reaches class-transformer. What is left unread of it is
 * discarded by Node once the problem is answered.
 */
export function registerJsonBodyParser(fastify: FastifyInstance, bodyLimit: number, budgets: BodyBudgets): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (!isJson(request)) return payload;
    const checked = new ShapeCheckedBody(new JsonShapeScanner(budgets.maxValues(request)));
    // Not pipeline(): it would destroy the request (and the connection) before the problem is sent.
    payload.on('error', (error) => checked.destroy(error));
    checked.once('error', () => discardRest(payload, bodyLimit));
    return payload.pipe(checked);
  });
  // Fastify's own parser (secure-json-parse): refuses __proto__ and constructor.prototype keys.
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, (request, text, done) => {
    parse(request, typeof text === 'string' ? text : text.toString('utf8'), (error, body) => {
      if (error) return done(error, undefined);
      try {
        // Valid JSON that no handler can take: a bare scalar, or strings PostgreSQL cannot store.
        assertObjectBody(body);
        assertSafeInput({ body });
      } catch (problem) {
        return done(problem as Error, undefined);
      }
      done(null, body);
    });
  });
}
