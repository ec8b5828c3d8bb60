import { hostname } from 'node:os';
import { Module } from '@nestjs/common';
import { LoggerModule as PinoLoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { describeErrorsIn, errorSerializer } from './safe-error';

/** Paths whose values never reach a log line, wherever they appear. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.refreshToken',
  '*.accessToken',
  '*.token',
  '*.key',
  '*.secret',
  '*.fullName',
  '*.phone',
];

/** JSON logs with the request id on every line (pino-http reuses the id Fastify assigned). */
@Module({
  imports: [
    PinoLoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          // On every line, not only request lines: the worker has no requests. (Read here, at module
          // init, after worker.ts has set JSD_PROCESS.)
          base: { pid: process.pid, hostname: hostname(), process: process.env.JSD_PROCESS ?? 'api' },
          // Query strings can carry filters on people; log the path only. An error, wherever it is
          // logged, is described without the values it carries (safe-error): a failed query's
          // parameters, PostgreSQL's detail, a message quoting a value.
          serializers: {
            req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            err: errorSerializer,
            error: errorSerializer,
          },
          formatters: { log: describeErrorsIn },
          // Behind a route-mounted middleware req.url is relative to the mount; originalUrl is the full path.
          autoLogging: { ignore: (req: { url?: string; originalUrl?: string }) => (req.originalUrl ?? req.url ?? '').startsWith('/health/') },
        },
      }),
    }),
  ],
})
export class LoggerModule {}
