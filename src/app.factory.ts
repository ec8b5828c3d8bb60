import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppConfig } from './config/app-config';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation/validation.pipe';
import { assertObjectBody, assertSafeInput } from './common/validation/input-shape';
import { setupOpenApi } from './common/openapi/openapi';
import { registerSecurityHeaders } from './common/http/security-headers';
import { defaultProblem, PROBLEM_CONTENT_TYPE } from './common/problem/problem';
import { useCursorSecret } from './common/pagination/cursor';

export const API_PREFIX = 'api/v1';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;

/** Builds the HTTP application exactly as main.ts serves it; tests use the same function. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  useCursorSecret(config.jwt.secret);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    // A client-supplied id is kept for tracing across systems when it looks like one.
    genReqId: (raw: IncomingMessage) => {
      const header = raw.headers['x-request-id'];
      const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
      (raw as { id?: string }).id = id;
      return id;
    },
    trustProxy: true,
    // While shutting down, new requests get a 503 problem from the onRequest hook below.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bufferLogs: true, abortOnError: false });
  app.useLogger(app.get(Logger));

  const fastify = app.getHttpAdapter().getInstance();
  // While shutting down (SIGTERM), in-flight requests finish; a request that arrives on a
  // keep-alive connection meanwhile gets a retryable 503 problem and the connection is closed,
  // so the client reconnects to another replica (Fastify's own 503 is neither a problem nor says when).
  let closing = false;
  fastify.addHook('preClose', async () => {
    closing = true;
  });
  fastify.addHook('onRequest', async (request, reply) => {
    reply.header('X-Request-Id', request.id);
    if (closing) {
      return reply
        .status(503)
        .header('Connection', 'close')
        .header('Retry-After', '1')
        .header('Content-Type', PROBLEM_CONTENT_TYPE)
        .send({ ...defaultProblem(503, 'The server is shutting down; retry (with the same Idempotency-Key for a POST).'), instance: request.url.split('?')[0], requestId: String(request.id) });
    }
    // API responses carry case data and personal data: no cache anywhere may keep them.
    if (request.url.startsWith(`/${API_PREFIX}/`)) reply.header('Cache-Control', 'no-store');
  });
  // Before guards and pipes: input nested too deeply or holding strings PostgreSQL cannot store
  // would otherwise surface as a 500 from class-transformer or the database (login included).
  fastify.addHook('preValidation', async (request) => {
    assertObjectBody(request.body);
    assertSafeInput({ body: request.body, query: request.query, params: request.params });
  });

  registerSecurityHeaders(fastify);
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

