import { Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { EtagInterceptor } from './common/concurrency/etag.interceptor';
import { ProblemFilter } from './common/problem/problem.filter';
import { LoggerModule } from './common/logging/logger.module';
import { JobsModule } from './common/jobs/jobs.module';
import { HealthModule } from './health/health.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AuditModule } from './common/audit/audit.module';
import { IdempotencyModule } from './common/idempotency/idempotency.module';
import { ProgrammeModule } from './programme/programme.module';
import { RateLimitModule } from './common/rate-limit/rate-limit.module';
import { CryptoModule } from './common/crypto/crypto.module';
import { AuthModule } from './auth/auth.module';
import { PeopleModule } from './people/people.module';
import { FieldWorkModule } from './field-work/field-work.module';
import { EarlyWarningModule } from './early-warning/early-warning.module';
import { DisputesModule } from './disputes/disputes.module';
import { InitiativesModule } from './initiatives/initiatives.module';
import { ImpactMetricsModule } from './insights/impact-metrics.module';
import { LearningSummariesModule } from './insights/learning-summaries.module';

@Module({
  imports: [
    ConfigModule,
    LoggerModule,
    RateLimitModule,
    DatabaseModule,
    JobsModule,
    HealthModule,
    AuditModule,
    AuthModule,
    CryptoModule,
    IdempotencyModule,
    ProgrammeModule,
    PeopleModule,
    FieldWorkModule,
    EarlyWarningModule,
    DisputesModule,
    InitiativesModule,
    ImpactMetricsModule,
    LearningSummariesModule,
  ],
  providers: [
    { provide: APP_FILTER, useClass: ProblemFilter },
    { provide: APP_INTERCEPTOR, useClass: EtagInterceptor },
  ],
})
export class AppModule {}
