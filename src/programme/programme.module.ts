import { Module } from '@nestjs/common';
import { CountriesController } from './countries.controller';
import { CountriesService } from './countries.service';
import { NetworksController } from './networks.controller';
import { NetworksService } from './networks.service';

@Module({
  controllers: [CountriesController, NetworksController],
  providers: [CountriesService, NetworksService],
  exports: [CountriesService, NetworksService],
})
export class ProgrammeModule {}
