import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { LoggerModule } from './common/logging/logger.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { AuditModule } from './common/audit/audit.module';
import { JobsModule } from './common/jobs/jobs.module';
import { JobRegistry } from './common/jobs/job-registry';
import { JobRunner } from './common/jobs/job-runner';
import { OutboxRelay } from './common/jobs/outbox/outbox-relay';
import { HousekeepingService } from './common/jobs/housekeeping/housekeeping.service';
import { CriticalWarningNotifier } from './early-warning/critical-warning.notifier';
import { LearningSummariesWorkerModule } from './insights/learning-summaries.module';
import { MetricsRollupRefresher } from './insights/metrics-rollup-refresher';

/**
 * The worker process: the API's configuration, logging and database modules, no HTTP. Providers
 * with @JobHandler methods are listed (or imported with their module) here.
 */
@Module({
  imports: [ConfigModule, LoggerModule, DatabaseModule, AuditModule, JobsModule, DiscoveryModule, LearningSummariesWorkerModule],
  providers: [JobRegistry, JobRunner, OutboxRelay, HousekeepingService, CriticalWarningNotifier, MetricsRollupRefresher],
})
export class WorkerModule {}
