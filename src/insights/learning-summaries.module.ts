import { Module } from '@nestjs/common';
import { ImpactMetricsService } from './impact-metrics.service';
import { LearningSummariesController } from './learning-summaries.controller';
import { LearningSummariesProcessor } from './learning-summaries.processor';
import { LearningSummariesService } from './learning-summaries.service';
import { LearningSummaryRunsService } from './learning-summary-runs.service';

/** API side: runs are requested and summaries read here; computing them is the worker's (below). */
@Module({
  controllers: [LearningSummariesController],
  providers: [LearningSummariesService, LearningSummaryRunsService],
})
export class LearningSummariesModule {}

/**
 * Worker side: the job handlers (compute, nightly schedule), with the impact-metrics service the
 * summaries take their figures from (the service alone: the worker serves no HTTP). Imported by
 * worker.module.ts.
 */
@Module({
  providers: [LearningSummaryRunsService, LearningSummariesProcessor, ImpactMetricsService],
})
export class LearningSummariesWorkerModule {}
