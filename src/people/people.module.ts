import { Module } from '@nestjs/common';
import { ParticipantsController } from './participants.controller';
import { ParticipantsService } from './participants.service';
import { PeopleService } from './people.service';
import { PersonalDataViews } from './personal-data';

@Module({
  controllers: [ParticipantsController],
  providers: [ParticipantsService, PeopleService, PersonalDataViews],
  exports: [PeopleService],
})
export class PeopleModule {}
