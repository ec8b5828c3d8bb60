import { Module } from '@nestjs/common';
import { PeopleModule } from '../people/people.module';
import { ProgrammeModule } from '../programme/programme.module';
import { DisputesController } from './disputes.controller';
import { DisputesService } from './disputes.service';

/** Disputes, their parties, mediators, linked sessions and the status workflow (dispute-workflow.ts). */
@Module({
  imports: [ProgrammeModule, PeopleModule],
  controllers: [DisputesController],
  providers: [DisputesService],
  exports: [DisputesService],
})
export class DisputesModule {}
