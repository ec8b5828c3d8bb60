import { Module } from '@nestjs/common';
import { EarlyWarningsController } from './early-warnings.controller';
import { EarlyWarningsService } from './early-warnings.service';
import { IndicatorValuesController } from './indicator-values.controller';
import { IndicatorValuesService } from './indicator-values.service';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';

/**
 * Early warnings, indicator values and the notifications they raise. The notification job's
 * handler (CriticalWarningNotifier) runs in the worker and is listed in worker.module.ts.
 */
@Module({
  controllers: [EarlyWarningsController, IndicatorValuesController, NotificationsController],
  providers: [EarlyWarningsService, IndicatorValuesService, NotificationsService],
  exports: [EarlyWarningsService],
})
export class EarlyWarningModule {}
