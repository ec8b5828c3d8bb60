import { Controller, Get, Logger, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiPublicProblems } from '../common/openapi/api-problems.decorator';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/access.decorators';
import { RedisHealth } from '../common/jobs/redis-health';
import { defaultProblem, PROBLEM_CONTENT_TYPE } from '../common/problem/problem';

const CHECK_TIMEOUT_MS = 1_000;

type CheckStatus = Record<string, { status: string }>;

/**
 * Liveness says the process is up (restart it if not); readiness says it can serve (send it
 * traffic): PostgreSQL and Redis both answer within a second. Outside /api/v1, no auth.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');
  private wasReady = true;

  constructor(
    private readonly health: HealthCheckService,
    private readonly typeorm: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly redis: RedisHealth,
  ) {}

  @Get('live')
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ description: 'The process is up.' })
  @ApiPublicProblems()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOkResponse({ description: 'PostgreSQL and Redis answer.' })
  @ApiPublicProblems(503)
  async ready(@Res() reply: FastifyReply): Promise<void> {
    try {
      const result = await this.health.check([
        () => this.typeorm.pingCheck('database').withTimeout(CHECK_TIMEOUT_MS),
        () => this.indicators.check('redis').attempt(() => this.redis.ping()).withTimeout(CHECK_TIMEOUT_MS),
      ]);
      this.transition(true, result.details);
      await reply.status(200).send({ status: 'ok', checks: statuses(result.details) });
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const details = (error.getResponse() as { details?: CheckStatus }).details ?? {};
      this.transition(false, details);
      const down = Object.entries(details).filter(([, c]) => c.status !== 'up').map(([name]) => name);
      // Names which dependency is down, but not its address or error text.
      await reply
        .status(503)
        .header('Content-Type', PROBLEM_CONTENT_TYPE)
        .header('Cache-Control', 'no-store')
        .send({ ...defaultProblem(503, `Not ready: ${down.join(' and ')} unreachable.`), instance: '/health/ready', checks: statuses(details) });
    }
  }

  // Probes run every few seconds: log when readiness changes, not on every probe.
  private transition(ready: boolean, details: CheckStatus): void {
    if (ready === this.wasReady) return;
    this.wasReady = ready;
    if (ready) this.logger.log('ready again: database and Redis reachable');
    else this.logger.warn({ checks: statuses(details) }, 'not ready');
  }
}

function statuses(details: CheckStatus): Record<string, string> {
  return Object.fromEntries(Object.entries(details).map(([name, check]) => [name, check.status]));
}
