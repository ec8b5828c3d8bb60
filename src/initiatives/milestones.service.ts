import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { notFound } from '../common/problem/problem';
import { CreateMilestoneDto, MilestoneDto, UpdateMilestoneDto } from './dto/milestone.dto';
import { toMilestoneDto } from './initiative-mapper';
import { definedOnly, findInitiative, findLiveInitiative } from './initiatives.service';
import { Milestone } from './milestone.entity';

@Injectable()
export class MilestonesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(ctx: RequestContext, initiativeId: string, dto: CreateMilestoneDto): Promise<MilestoneDto> {
    return this.dataSource.transaction(async (manager) => {
      await findLiveInitiative(manager, ctx, initiativeId);
      const id = randomUUID();
      const fields = { initiativeId, description: dto.description, dueOn: dto.dueOn ?? null, achievedOn: dto.achievedOn ?? null };
      await manager.insert(Milestone, { id, ...fields });
      await this.audit.record(manager, actorOf(ctx), { action: 'create', entity: 'milestone', entityId: id, changes: diffChanges(null, fields) });
      return toMilestoneDto(await manager.findOneByOrFail(Milestone, { id }));
    });
  }

  async get(ctx: RequestContext, initiativeId: string, id: string): Promise<MilestoneDto> {
    return toMilestoneDto(await this.find(this.dataSource.manager, ctx, initiativeId, id, false));
  }

  async update(ctx: RequestContext, initiativeId: string, id: string, expectedVersion: number | undefined, dto: UpdateMilestoneDto): Promise<MilestoneDto> {
    return this.dataSource.transaction(async (manager) => {
      await findLiveInitiative(manager, ctx, initiativeId);
      const current = await this.find(manager, ctx, initiativeId, id, true);
      assertVersion(current.version, expectedVersion);
      const before = { description: current.description, dueOn: current.dueOn, achievedOn: current.achievedOn };
      const after = { ...before, ...definedOnly(dto) };
      const changes = diffChanges(before, after);
      if (!Object.keys(changes).length) return toMilestoneDto(current);
      await manager
        .createQueryBuilder()
        .update(Milestone)
        .set({ ...after, version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'milestone', entityId: id, changes });
      return toMilestoneDto(await manager.findOneByOrFail(Milestone, { id }));
    });
  }

  private async find(manager: EntityManager, ctx: RequestContext, initiativeId: string, id: string, lock: boolean): Promise<Milestone> {
    await findInitiative(manager, ctx, initiativeId, false);
    const qb = manager.getRepository(Milestone).createQueryBuilder('m').where('m.id = :id AND m.initiative_id = :initiativeId', { id, initiativeId });
    if (lock) qb.setLock('pessimistic_write');
    const milestone = await qb.getOne();
    if (!milestone) throw notFound('milestone');
    return milestone;
  }
}
