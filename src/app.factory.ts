import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig } from './config/app-config';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation/validation.pipe';
import { assertSafeInput } from './common/validation/input-shape';
import { setupOpenApi } from './common/openapi/openapi';
import { computeSecurityHeaders, registerSecurityHeaders, SECURITY_HEADER_OPTIONS } from './common/http/security-headers';
import { clientErrorHandler, frameworkErrorHandler } from './common/http/framework-errors';
import { BodyBudgets, registerJsonBodyParser } from './common/http/json-body';
import { listRouteAccess } from './auth/route-access';
import { defaultProblem, PROBLEM_CONTENT_TYPE } from './common/problem/problem';
import { useCursorSecret } from './common/pagination/cursor';

export const API_PREFIX = 'api/v1';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

/** Builds the HTTP application exactly as main.ts serves it; tests use the same function. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  useCursorSecret(config.jwt.secret);
  const securityHeaders = computeSecurityHeaders(SECURITY_HEADER_OPTIONS);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // A client-supplied id is kept for tracing across systems when it looks like one.
    genReqId: (raw: IncomingMessage) => {
      const header = raw.headers['x-request-id'];
      const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
      (raw as { id?: string }).id = id;
      return id;
    },
    // X-Forwarded-For is believed only when the connection comes from a proxy TRUSTED_PROXIES
    // names, and then only for the hops trusted proxies appended: request.ip is the first address
    // walking back from the socket that is not a trusted proxy. `true` believed any client's header.
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    // Errors Fastify and Node answer before any hook runs, as problems with the usual headers.
    frameworkErrors: frameworkErrorHandler(securityHeaders),
    clientErrorHandler: clientErrorHandler(securityHeaders),
    // While shutting down, new requests get a 503 problem from the onRequest hook below.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
  });
  // bodyParser: false: Nest would add a form-encoded parser; registerJsonBodyParser takes JSON only.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bufferLogs: true, abortOnError: false, bodyParser: false });
  app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  // First, so that every answer, including the 503 below, carries them.
  registerSecurityHeaders(fastify, securityHeaders);
  const budgets = new BodyBudgets();
  registerJsonBodyParser(fastify, config.bodyLimitBytes, budgets);
  // Once Nest has registered the routes: which of them anyone may call.
  fastify.addHook('onReady', async () => {
    budgets.setPublicRoutes(listRouteAccess(app).filter((route) => route.access === 'public'));
  });
  // While shutting down (SIGTERM), in-flight requests finish; a request that arrives on a
  // keep-alive connection meanwhile gets a retryable 503 problem and the connection is closed,
  // so the client reconnects to another replica (Fastify's own 503 is neither a problem nor says when).
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (closing) {
      return reply
        .status(503)
        .header('Connection', 'close')
        .header('Retry-After', '1')
        .header('Content-Type', PROBLEM_CONTENT_TYPE)
        .send({ ...defaultProblem(503, 'The server is shutting down; retry (with the same Idempotency-Key for a POST).'), instance: request.url.split('?')[0], requestId: String(request.id) });
    }
  });
  // Before guards and pipes: a query or path parameter holding strings PostgreSQL cannot store
  // would otherwise surface as a 500 from the database. Bodies are checked while parsed (json-body.ts).
  fastify.addHook('preValidation', async (request) => {
    assertSafeInput({ query: request.query, params: request.params });
  });

  app.enableCors({
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    exposedHeaders: ['ETag', 'Location', 'X-Request-Id', 'Retry-After'],
  });

  app.setGlobalPrefix(API_PREFIX, { exclude: ['health/live', 'health/ready'] });
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app);
  return app;
}

/** Creates, initialises and listens; returns the app (tests pass port 0). */
export async function startApp(config: AppConfig, port = config.port): Promise<NestFastifyApplication> {
  const app = await createApp(config);
  await app.listen({ port, host: '0.0.0.0' });
  return app;
}

