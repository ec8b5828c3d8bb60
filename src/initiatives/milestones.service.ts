import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { notFound } from '../common/problem/problem';
import { CreateMilestoneDto, MilestoneDto, UpdateMilestoneDto } from './dto/milestone.dto';
import { toMilestoneDto } from './initiative-mapper';
import { INITIATIVE_CIPHER, textOpener } from './initiative-text';
import { definedOnly, findInitiative, findLiveInitiative } from './initiatives.service';
import { Milestone } from './milestone.entity';

/** The description is free text: audited by name only. */
const SENSITIVE = ['description'];

@Injectable()
export class MilestonesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async create(ctx: RequestContext, initiativeId: string, dto: CreateMilestoneDto): Promise<MilestoneDto> {
    return this.dataSource.transaction(async (manager) => {
      const initiative = await findLiveInitiative(manager, ctx, initiativeId);
      const id = randomUUID();
      const fields = { initiativeId, description: dto.description, dueOn: dto.dueOn ?? null, achievedOn: dto.achievedOn ?? null };
      const { description, ...columns } = fields;
      await manager.insert(Milestone, { id, ...columns, descriptionEnc: this.cipher.encrypt(description, INITIATIVE_CIPHER.milestoneDescription) });
      await this.audit.record(manager, actorOf(ctx), { action: 'create', entity: 'milestone', entityId: id, changes: diffChanges(null, fields, SENSITIVE) });
      return toMilestoneDto(textOpener(this.cipher, ctx, initiative.countryCode), await manager.findOneByOrFail(Milestone, { id }));
    });
  }

  async get(ctx: RequestContext, initiativeId: string, id: string): Promise<MilestoneDto> {
    const { milestone, countryCode } = await this.find(this.dataSource.manager, ctx, initiativeId, id, false);
    return toMilestoneDto(textOpener(this.cipher, ctx, countryCode), milestone);
  }

  async update(ctx: RequestContext, initiativeId: string, id: string, expectedVersion: number | undefined, dto: UpdateMilestoneDto): Promise<MilestoneDto> {
    return this.dataSource.transaction(async (manager) => {
      await findLiveInitiative(manager, ctx, initiativeId);
      const { milestone: current, countryCode } = await this.find(manager, ctx, initiativeId, id, true);
      const open = textOpener(this.cipher, ctx, countryCode);
      assertVersion(current.version, expectedVersion);
      const before = {
        description: this.cipher.decrypt(current.descriptionEnc, INITIATIVE_CIPHER.milestoneDescription),
        dueOn: current.dueOn,
        achievedOn: current.achievedOn,
      };
      const after = { ...before, ...definedOnly(dto) };
      const changes = diffChanges(before, after, SENSITIVE);
      if (!Object.keys(changes).length) return toMilestoneDto(open, current);
      const { description, ...columns } = after;
      await manager
        .createQueryBuilder()
        .update(Milestone)
        .set({
          ...columns,
          descriptionEnc: changes.description ? this.cipher.encrypt(description, INITIATIVE_CIPHER.milestoneDescription) : current.descriptionEnc,
          version: () => 'version + 1',
        })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'milestone', entityId: id, changes });
      return toMilestoneDto(open, await manager.findOneByOrFail(Milestone, { id }));
    });
  }

  private async find(manager: EntityManager, ctx: RequestContext, initiativeId: string, id: string, lock: boolean): Promise<{ milestone: Milestone; countryCode: string }> {
    const { countryCode } = await findInitiative(manager, ctx, initiativeId, false);
    const qb = manager.getRepository(Milestone).createQueryBuilder('m').where('m.id = :id AND m.initiative_id = :initiativeId', { id, initiativeId });
    if (lock) qb.setLock('pessimistic_write');
    const milestone = await qb.getOne();
    if (!milestone) throw notFound('milestone');
    return { milestone, countryCode };
  }
}
