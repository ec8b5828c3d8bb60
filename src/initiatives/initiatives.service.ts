import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { actorOf, AuditService, diffChanges, REDACTED } from '../common/audit/audit.service';
import { assertVersion } from '../common/concurrency/etag';
import { RequestContext } from '../common/context/request-context';
import { seal } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { paginate } from '../common/pagination/cursor';
import { badRequest, conflict, notFound } from '../common/problem/problem';
import { applyScope } from '../common/scope/scope';
import {
  CreateInitiativeDto, InitiativeDto, InitiativePageDto, InitiativeTransitionDto, ListInitiativesQueryDto, UpdateInitiativeDto,
} from './dto/initiative.dto';
import { InitiativeHistory } from './initiative-history.entity';
import { loadInitiativeDto, originSessionIds, toSummaries } from './initiative-mapper';
import { InitiativeOriginSession } from './initiative-origin-session.entity';
import { requireInitiativeNetwork, requireOriginSessions } from './initiative-references';
import { INITIATIVE_CIPHER } from './initiative-text';
import { assertTransition } from './initiative-workflow';
import { Initiative } from './initiative.entity';

/** Where an initiative keeps the facts that decide who sees it (common/scope). */
export const INITIATIVE_SCOPE = { country: 'i.country_code', network: 'i.network_id' };

/** Free text: may name people, so audited by name only. */
const SENSITIVE = ['title', 'problemStatement'];

/** The fields a PATCH body actually sent (class-transformer may leave the others as undefined). */
export function definedOnly<T extends object>(dto: T): Partial<T> {
  return Object.fromEntries(Object.entries(dto).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function assertDates(startOn: string | null, endOn: string | null): void {
  if (startOn && endOn && endOn < startOn) throw badRequest('The initiative cannot end before it starts.', [{ field: 'endOn', message: 'must not be before startOn' }]);
}

@Injectable()
export class InitiativesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cipher: PersonalDataCipher,
  ) {}

  async create(ctx: RequestContext, dto: CreateInitiativeDto): Promise<InitiativeDto> {
    assertDates(dto.startOn ?? null, dto.endOn ?? null);
    return this.dataSource.transaction(async (manager) => {
      const network = await requireInitiativeNetwork(manager, ctx, dto.networkId);
      const sessions = dto.originSessionIds ?? [];
      await requireOriginSessions(manager, ctx, network.id, sessions);
      const id = randomUUID();
      const fields = {
        networkId: network.id,
        countryCode: network.countryCode,
        title: dto.title,
        problemStatement: dto.problemStatement,
        category: dto.category,
        funder: dto.funder,
        budgetAmount: dto.budget.amount,
        budgetCurrency: dto.budget.currency,
        status: 'proposed' as const,
        startOn: dto.startOn ?? null,
        endOn: dto.endOn ?? null,
      };
      const { title, problemStatement, ...columns } = fields;
      await manager.insert(Initiative, { id, ...columns, ...this.sealed({ title, problemStatement }) });
      await this.replaceOriginSessions(manager, id, sessions);
      await this.audit.record(manager, actorOf(ctx), {
        action: 'create',
        entity: 'initiative',
        entityId: id,
        changes: { ...diffChanges(null, fields, SENSITIVE), originSessionIds: { to: sessions } },
      });
      return loadInitiativeDto(manager, this.cipher, ctx, await manager.findOneByOrFail(Initiative, { id }));
    });
  }

  async list(ctx: RequestContext, query: ListInitiativesQueryDto): Promise<InitiativePageDto> {
    const qb = applyScope(this.dataSource.getRepository(Initiative).createQueryBuilder('i'), ctx, INITIATIVE_SCOPE);
    if (!query.includeArchived) qb.andWhere('i.archived_at IS NULL');
    if (query.countryCode) qb.andWhere('i.country_code = :countryCode', { countryCode: query.countryCode });
    if (query.networkId) qb.andWhere('i.network_id = :networkId', { networkId: query.networkId });
    if (query.status) qb.andWhere('i.status = :status', { status: query.status });
    if (query.category) qb.andWhere('i.category = :category', { category: query.category });
    if (query.funder) qb.andWhere('i.funder = :funder', { funder: query.funder });
    if (query.startFrom) qb.andWhere('i.start_on >= :startFrom', { startFrom: query.startFrom });
    if (query.startTo) qb.andWhere('i.start_on <= :startTo', { startTo: query.startTo });
    // Newest first; created_at has millisecond precision, so the cursor holds it exactly.
    const page = await paginate(qb, query, {
      list: 'GET /initiatives',
      sortExpression: 'i.created_at',
      tieBreaker: 'i.id',
      direction: 'DESC',
      keyOf: (i) => [i.createdAt.toISOString(), i.id],
    });
    return { data: await toSummaries(this.dataSource.manager, this.cipher, ctx, page.data), nextCursor: page.nextCursor };
  }

  async get(ctx: RequestContext, id: string): Promise<InitiativeDto> {
    const manager = this.dataSource.manager;
    return loadInitiativeDto(manager, this.cipher, ctx, await findInitiative(manager, ctx, id, false));
  }

  async update(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: UpdateInitiativeDto): Promise<InitiativeDto> {
    return this.dataSource.transaction(async (manager) => {
      // The row lock also orders this PATCH against concurrent disbursements (same lock).
      const current = await findLiveInitiative(manager, ctx, id);
      assertVersion(current.version, expectedVersion);
      const before = {
        title: this.cipher.decrypt(current.titleEnc, INITIATIVE_CIPHER.title),
        problemStatement: this.cipher.decrypt(current.problemStatementEnc, INITIATIVE_CIPHER.problemStatement),
        category: current.category,
        funder: current.funder,
        budgetAmount: current.budgetAmount,
        budgetCurrency: current.budgetCurrency,
        startOn: current.startOn,
        endOn: current.endOn,
      };
      const { budget, originSessionIds: sessionIds, ...rest } = dto;
      const after = { ...before, ...definedOnly(rest), ...(budget ? { budgetAmount: budget.amount, budgetCurrency: budget.currency } : {}) };
      assertDates(after.startOn, after.endOn);
      const changes: Record<string, unknown> = diffChanges(before, after, SENSITIVE);
      // "1250" and "1250.00" are the same budget: compare in numeric, not as strings.
      if (changes.budgetAmount) {
        const [{ same }] = (await manager.query('SELECT $1::numeric = $2::numeric AS same', [before.budgetAmount, after.budgetAmount])) as { same: boolean }[];
        if (same) {
          delete changes.budgetAmount;
          after.budgetAmount = before.budgetAmount;
        }
      }
      if (changes.budgetAmount || changes.budgetCurrency) await assertBudgetCovers(manager, id, after.budgetAmount, after.budgetCurrency, before.budgetCurrency);
      if (sessionIds) {
        const existing = (await originSessionIds(manager, [id])).get(id) ?? [];
        if (JSON.stringify(existing) !== JSON.stringify(sessionIds)) {
          await requireOriginSessions(manager, ctx, current.networkId, sessionIds);
          changes.originSessionIds = { from: existing, to: sessionIds };
        }
      }
      if (!Object.keys(changes).length) return loadInitiativeDto(manager, this.cipher, ctx, current);

      const { title, problemStatement, ...columns } = after;
      await manager
        .createQueryBuilder()
        .update(Initiative)
        .set({
          ...columns,
          titleEnc: changes.title ? seal(this.cipher, title, INITIATIVE_CIPHER.title) : current.titleEnc,
          problemStatementEnc: changes.problemStatement ? seal(this.cipher, problemStatement, INITIATIVE_CIPHER.problemStatement) : current.problemStatementEnc,
          version: () => 'version + 1',
        })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      if (changes.originSessionIds && sessionIds) await this.replaceOriginSessions(manager, id, sessionIds);
      await this.audit.record(manager, actorOf(ctx), { action: 'update', entity: 'initiative', entityId: id, changes });
      return loadInitiativeDto(manager, this.cipher, ctx, await manager.findOneByOrFail(Initiative, { id }));
    });
  }

  /** Moves the status along the workflow, with a history row, in one transaction. */
  async transition(ctx: RequestContext, id: string, expectedVersion: number | undefined, dto: InitiativeTransitionDto): Promise<InitiativeDto> {
    return this.dataSource.transaction(async (manager) => {
      const current = await findLiveInitiative(manager, ctx, id);
      assertVersion(current.version, expectedVersion);
      assertTransition(current.status, dto.to);
      await manager
        .createQueryBuilder()
        .update(Initiative)
        .set({ status: dto.to, version: () => 'version + 1' })
        .where('id = :id AND version = :version', { id, version: current.version })
        .execute();
      await manager.insert(InitiativeHistory, {
        id: randomUUID(),
        initiativeId: id,
        fromStatus: current.status,
        toStatus: dto.to,
        noteEnc: seal(this.cipher, dto.note ?? null, INITIATIVE_CIPHER.historyNote),
        actorKind: ctx.principal.kind,
        actorId: ctx.principal.id,
        occurredAt: new Date(),
      });
      await this.audit.record(manager, actorOf(ctx), {
        action: 'transition',
        entity: 'initiative',
        entityId: id,
        changes: { status: { from: current.status, to: dto.to }, ...(dto.note !== undefined ? { note: { to: REDACTED } } : {}) },
      });
      return loadInitiativeDto(manager, this.cipher, ctx, await manager.findOneByOrFail(Initiative, { id }));
    });
  }

  async archive(ctx: RequestContext, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const current = await findInitiative(manager, ctx, id, true);
      if (current.archivedAt) return; // archiving twice changes nothing
      await manager.update(Initiative, { id }, { archivedAt: () => 'now()', version: () => 'version + 1' });
      await this.audit.record(manager, actorOf(ctx), { action: 'archive', entity: 'initiative', entityId: id });
    });
  }

  private sealed(text: { title: string; problemStatement: string }): Pick<Initiative, 'titleEnc' | 'problemStatementEnc'> {
    return {
      titleEnc: this.cipher.encrypt(text.title, INITIATIVE_CIPHER.title),
      problemStatementEnc: this.cipher.encrypt(text.problemStatement, INITIATIVE_CIPHER.problemStatement),
    };
  }

  private async replaceOriginSessions(manager: EntityManager, initiativeId: string, sessionIds: readonly string[]): Promise<void> {
    await manager.delete(InitiativeOriginSession, { initiativeId });
    if (sessionIds.length) {
      await manager.insert(InitiativeOriginSession, sessionIds.map((sessionId, position) => ({ initiativeId, sessionId, position })));
    }
  }
}

/** The initiative if the caller may see it (404 otherwise); `lock` takes the row lock for a write. */
export async function findInitiative(manager: EntityManager, ctx: RequestContext, id: string, lock: boolean): Promise<Initiative> {
  const qb = applyScope(manager.getRepository(Initiative).createQueryBuilder('i'), ctx, INITIATIVE_SCOPE).andWhere('i.id = :id', { id });
  if (lock) qb.setLock('pessimistic_write');
  const initiative = await qb.getOne();
  if (!initiative) throw notFound('initiative');
  return initiative;
}

/** Locked, visible and not archived: an archived initiative is kept as it was. */
export async function findLiveInitiative(manager: EntityManager, ctx: RequestContext, id: string): Promise<Initiative> {
  const initiative = await findInitiative(manager, ctx, id, true);
  if (initiative.archivedAt) throw conflict('The initiative is archived and can no longer change.', { slug: 'archived' });
  return initiative;
}

/**
 * A new budget must cover what is already disbursed, and once money has been paid out its
 * currency is fixed. Runs under the initiative's row lock, so no disbursement slips in between.
 */
async function assertBudgetCovers(manager: EntityManager, id: string, amount: string, currency: string, currentCurrency: string): Promise<void> {
  const [row] = (await manager.query(
    `SELECT count(*)::int AS n, COALESCE(SUM(amount), 0)::numeric(14,2)::text AS disbursed, COALESCE(SUM(amount), 0) <= $2::numeric AS covered
       FROM disbursements WHERE initiative_id = $1`,
    [id, amount],
  )) as { n: number; disbursed: string; covered: boolean }[];
  if (row.n > 0 && currency !== currentCurrency) {
    throw conflict(`The budget's currency cannot change once money has been disbursed (${row.disbursed} ${currentCurrency}).`, { slug: 'currency-fixed' });
  }
  if (!row.covered) {
    throw conflict(`The budget cannot be lower than what is already disbursed (${row.disbursed} ${currentCurrency}).`, {
      slug: 'budget-below-disbursed',
      disbursed: { amount: row.disbursed, currency: currentCurrency },
    });
  }
}
