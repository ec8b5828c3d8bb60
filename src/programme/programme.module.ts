import { Module } from '@nestjs/common';
import { CountriesController } from './countries.controller';
import { CountriesService } from './countries.service';
import { NetworkLinksController } from './network-links.controller';
import { NetworkLinksService } from './network-links.service';
import { NetworksController } from './networks.controller';
import { NetworksService } from './networks.service';

@Module({
  controllers: [CountriesController, NetworksController, NetworkLinksController],
  providers: [CountriesService, NetworksService, NetworkLinksService],
  exports: [CountriesService, NetworksService],
})
export class ProgrammeModule {}
