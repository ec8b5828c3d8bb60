import { Module } from '@nestjs/common';
import { ImpactMetricsController } from './impact-metrics.controller';
import { ImpactMetricsService } from './impact-metrics.service';

/**
 * Impact metrics. ImpactMetricsService is exported so that other insights (learning summaries,
 * computed in the worker) reuse the same figures: `compute('everything', query)`.
 */
@Module({
  controllers: [ImpactMetricsController],
  providers: [ImpactMetricsService],
  exports: [ImpactMetricsService],
})
export class ImpactMetricsModule {}
