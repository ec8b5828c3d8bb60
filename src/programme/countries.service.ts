import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { paginate } from '../common/pagination/cursor';
import { Page } from '../common/pagination/page-query.dto';
import { conflict, notFound } from '../common/problem/problem';
import { Country } from './country.entity';
import { CountryDto, CreateCountryDto, ListCountriesQueryDto, UpdateCountryDto } from './dto/country.dto';

@Injectable()
export class CountriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(ctx: RequestContext, dto: CreateCountryDto): Promise<CountryDto> {
    return this.dataSource.transaction(async (manager) => {
      const fields = { code: dto.code, name: dto.name, region: dto.region, programmeStartedOn: dto.programmeStartedOn ?? null };
      const inserted: unknown[] = await manager
        .createQueryBuilder()
        .insert()
        .into(Country)
        .values(fields)
        .orIgnore()
        .returning('code')
        .execute()
        .then((r) => r.raw as unknown[]);
      if (!inserted.length) throw conflict(`Country ${dto.code} already exists.`, { slug: 'duplicate' });
      await this.audit.record(manager, actorOf(ctx), { action: 'create', entity: 'country', entityId: dto.code, changes: diffChanges(null, fields) });
      return toDto(await manager.findOneByOrFail(Country, { code: dto.code }));
    });
  }

  async list(_ctx: RequestContext, query: ListCountriesQueryDto): Promise<Page<CountryDto>> {
    // Countries are reference data every role may read: no scope condition applies.
    const qb = this.dataSource.getRepository(Country).createQueryBuilder('c');
    if (!query.includeArchived) qb.andWhere('c.archived_at IS NULL');
    if (query.region) qb.andWhere('c.region = :region', { region: query.region });
    const page = await paginate(qb, query, { list: 'GET /countries', sortExpression: 'c.code', tieBreaker: 'c.code', keyOf: (c) => [c.code, c.code] });
    return { data: page.data.map(toDto), nextCursor: page.nextCursor };
  }

  async get(_ctx: RequestContext, code: string): Promise<CountryDto> {
    const country = await this.dataSource.getRepository(Country).findOneBy({ code });
    if (!country) throw notFound('country');
    return toDto(country);
  }

  async update(ctx: RequestContext, code: string, expectedVersion: number | undefined, dto: UpdateCountryDto): Promise<CountryDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, code);
      assertVersion(current.version, expectedVersion);
      const before = { name: current.name, region: current.region, programmeStartedOn: current.programmeStartedOn };
      const after = { ...before, ...dto };
      const changes = diffChanges(before, after);
      if (!Object.keys(changes).length) return toDto(current);
      await manager
        .createQueryBuilder()
        .update(Country)
        .set({ ...dto, version: () => 'version + 1' })
        .where('code = :code AND version = :version', { code, version: current.version })
        .execute();
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'country', entityId: code, changes });
      return toDto(await manager.findOneByOrFail(Country, { code }));
    });
  }

  async archive(ctx: RequestContext, code: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await this.lock(manager, code);
      if (current.archivedAt) return; // archiving twice changes nothing
      await manager.update(Country, { code }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: 'country', entityId: code });
    });
  }

  private async lock(manager: EntityManager, code: string): Promise<Country> {
    const country = await manager.getRepository(Country).createQueryBuilder('c').setLock('pessimistic_write').where('c.code = :code', { code }).getOne();
    if (!country) throw notFound('country');
    return country;
  }
}

function toDto(c: Country): CountryDto {
  return {
    code: c.code,
    id: c.code,
    name: c.name,
    region: c.region,
    programmeStartedOn: c.programmeStartedOn,
    version: c.version,
    archivedAt: c.archivedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}
