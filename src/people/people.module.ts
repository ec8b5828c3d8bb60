import { Module } from '@nestjs/common';
import { PersonErasure } from './erasure';
import { ParticipantsController } from './participants.controller';
import { ParticipantsService } from './participants.service';
import { PeopleService } from './people.service';
import { PersonalDataViews } from './personal-data';
import { PolicePartnersController } from './police-partners.controller';
import { PolicePartnersService } from './police-partners.service';

@Module({
  controllers: [ParticipantsController, PolicePartnersController],
  providers: [ParticipantsService, PolicePartnersService, PeopleService, PersonalDataViews, PersonErasure],
  exports: [PeopleService],
})
export class PeopleModule {}
