import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorators';
import { IfMatch } from '../common/concurrency/if-match.decorator';
import { Ctx, RequestContext } from '../common/context/request-context';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { CountryCodeParam } from './country-code.pipe';
import { CountriesService } from './countries.service';
import { CountryDto, CountryPageDto, CreateCountryDto, ListCountriesQueryDto, UpdateCountryDto } from './dto/country.dto';

@ApiTags('countries')
@ApiBearerAuth('bearer')
@ApiSecurity('apiKey')
@Controller('countries')
export class CountriesController {
  constructor(private readonly countries: CountriesService) {}

  @Post()
  @Roles('admin')
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CountryDto })
  @ApiProblems(400, 409, 422)
  async create(@Ctx() ctx: RequestContext, @Body() dto: CreateCountryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<CountryDto> {
    const country = await this.countries.create(ctx, dto);
    reply.header('Location', `/api/v1/countries/${country.code}`);
    return country;
  }

  @Get()
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOkResponse({ type: CountryPageDto })
  @ApiProblems(400)
  list(@Ctx() ctx: RequestContext, @Query() query: ListCountriesQueryDto): Promise<CountryPageDto> {
    return this.countries.list(ctx, query);
  }

  @Get(':code')
  @Roles('admin', 'hq_analyst', 'country_staff', 'partner')
  @ApiOkResponse({ type: CountryDto, headers: { ETag: { description: 'Version of the record, for If-Match' } } })
  @ApiProblems(404)
  get(@Ctx() ctx: RequestContext, @Param('code', CountryCodeParam) code: string): Promise<CountryDto> {
    return this.countries.get(ctx, code);
  }

  @Patch(':code')
  @Roles('admin')
  @ApiHeader({ name: 'If-Match', required: false, description: 'ETag from GET; a stale one gets 412' })
  @ApiOkResponse({ type: CountryDto })
  @ApiProblems(400, 404, 412)
  update(
    @Ctx() ctx: RequestContext,
    @Param('code', CountryCodeParam) code: string,
    @IfMatch() expectedVersion: number | undefined,
    @Body() dto: UpdateCountryDto,
  ): Promise<CountryDto> {
    return this.countries.update(ctx, code, expectedVersion, dto);
  }

  @Delete(':code')
  @Roles('admin')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Archived (nothing is hard-deleted)' })
  @ApiProblems(404)
  async archive(@Ctx() ctx: RequestContext, @Param('code', CountryCodeParam) code: string): Promise<void> {
    await this.countries.archive(ctx, code);
  }
}
