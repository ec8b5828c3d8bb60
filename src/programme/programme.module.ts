import { Module } from '@nestjs/common';
import { CountriesController } from './countries.controller';
import { CountriesService } from './countries.service';
import { NetworkLinksController } from './network-links.controller';
import { NetworkLinksService } from './network-links.service';
import { NetworksController } from './networks.controller';
import { NetworksService } from './networks.service';
import { PartnersController } from './partners.controller';
import { PartnersService } from './partners.service';

@Module({
  controllers: [CountriesController, NetworksController, NetworkLinksController, PartnersController],
  providers: [CountriesService, NetworksService, NetworkLinksService, PartnersService],
  exports: [CountriesService, NetworksService, PartnersService],
})
export class ProgrammeModule {}
