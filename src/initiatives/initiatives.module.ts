import { Module } from '@nestjs/common';
import { DisbursementsService } from './disbursements.service';
import { InitiativesController } from './initiatives.controller';
import { InitiativesService } from './initiatives.service';
import { MilestonesService } from './milestones.service';

/** Funded local initiatives with their disbursements (a ledger under a row lock) and milestones. */
@Module({
  controllers: [InitiativesController],
  providers: [InitiativesService, DisbursementsService, MilestonesService],
  exports: [InitiativesService],
})
export class InitiativesModule {}
