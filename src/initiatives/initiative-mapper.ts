import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { DisbursementDto } from './dto/disbursement.dto';
import { InitiativeDto, InitiativeSummaryDto } from './dto/initiative.dto';
import { MilestoneDto } from './dto/milestone.dto';
import { Disbursement } from './disbursement.entity';
import { InitiativeHistory } from './initiative-history.entity';
import { InitiativeOriginSession } from './initiative-origin-session.entity';
import { INITIATIVE_CIPHER, TextOpener, textOpener } from './initiative-text';
import { Initiative } from './initiative.entity';
import { Milestone } from './milestone.entity';

export interface MoneyTotals {
  disbursed: string;
  remaining: string;
}

/**
 * Disbursed and remaining amounts for a set of initiatives in one grouped query. PostgreSQL does
 * the arithmetic in numeric and formats it with two decimals: Node never adds money.
 */
export async function moneyTotals(manager: EntityManager, ids: readonly string[]): Promise<Map<string, MoneyTotals>> {
  if (!ids.length) return new Map();
  const rows = (await manager.query(
    `SELECT i.id,
            COALESCE(SUM(d.amount), 0)::numeric(14,2)::text AS disbursed,
            (i.budget_amount - COALESCE(SUM(d.amount), 0))::numeric(14,2)::text AS remaining
       FROM initiatives i LEFT JOIN disbursements d ON d.initiative_id = i.id
      WHERE i.id = ANY($1::uuid[])
      GROUP BY i.id`,
    [ids],
  )) as { id: string; disbursed: string; remaining: string }[];
  return new Map(rows.map((r) => [r.id, { disbursed: r.disbursed, remaining: r.remaining }]));
}

/**
 * Origin session ids per initiative, in the order given, in one query. Only sessions of the
 * initiative's own network: whoever may read the initiative may read those (the same network,
 * so the same country and partner scope), so the list never names a session the caller could
 * not open. Writes allow no other (requireOriginSessions); the join keeps it so in every answer.
 */
export async function originSessionIds(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (!ids.length) return map;
  const rows = await manager
    .getRepository(InitiativeOriginSession)
    .createQueryBuilder('o')
    .innerJoin('initiatives', 'i', 'i.id = o.initiative_id')
    .innerJoin('sessions', 's', 's.id = o.session_id AND s.network_id = i.network_id')
    .where('o.initiative_id IN (:...ids)', { ids: [...ids] })
    .orderBy('o.initiative_id', 'ASC')
    .addOrderBy('o.position', 'ASC')
    .getMany();
  for (const r of rows) map.get(r.initiativeId)?.push(r.sessionId);
  return map;
}

export function toSummary(open: TextOpener, i: Initiative, totals: MoneyTotals | undefined, sessions: string[]): InitiativeSummaryDto {
  const currency = i.budgetCurrency;
  return {
    id: i.id,
    networkId: i.networkId,
    countryCode: i.countryCode,
    title: open(i.titleEnc, INITIATIVE_CIPHER.title),
    problemStatement: open(i.problemStatementEnc, INITIATIVE_CIPHER.problemStatement),
    originSessionIds: sessions,
    category: i.category,
    funder: i.funder,
    budget: { amount: i.budgetAmount, currency },
    disbursed: { amount: totals?.disbursed ?? '0.00', currency },
    remaining: { amount: totals?.remaining ?? i.budgetAmount, currency },
    status: i.status,
    startOn: i.startOn,
    endOn: i.endOn,
    version: i.version,
    archivedAt: i.archivedAt?.toISOString() ?? null,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}

/** Summaries for a page, as the caller may see them: one query per relation, never one per initiative. */
export async function toSummaries(manager: EntityManager, cipher: PersonalDataCipher, ctx: RequestContext, initiatives: Initiative[]): Promise<InitiativeSummaryDto[]> {
  const ids = initiatives.map((i) => i.id);
  // Sequential: inside a transaction every query shares one connection.
  const totals = await moneyTotals(manager, ids);
  const sessions = await originSessionIds(manager, ids);
  return initiatives.map((i) => toSummary(textOpener(cipher, ctx, i.countryCode), i, totals.get(i.id), sessions.get(i.id) ?? []));
}

export function toDisbursementDto(open: TextOpener, d: Disbursement): DisbursementDto {
  return {
    id: d.id,
    amount: { amount: d.amount, currency: d.currency },
    disbursedOn: d.disbursedOn,
    reference: open(d.referenceEnc, INITIATIVE_CIPHER.disbursementReference),
    createdAt: d.createdAt.toISOString(),
  };
}

export function toMilestoneDto(open: TextOpener, m: Milestone): MilestoneDto {
  return { id: m.id, description: open(m.descriptionEnc, INITIATIVE_CIPHER.milestoneDescription), dueOn: m.dueOn, achievedOn: m.achievedOn, version: m.version };
}

/** The full record for single reads and write answers, as the caller may see it. */
export async function loadInitiativeDto(manager: EntityManager, cipher: PersonalDataCipher, ctx: RequestContext, i: Initiative): Promise<InitiativeDto> {
  const open = textOpener(cipher, ctx, i.countryCode);
  const [summary] = await toSummaries(manager, cipher, ctx, [i]);
  const disbursements = await manager.getRepository(Disbursement).find({ where: { initiativeId: i.id }, order: { disbursedOn: 'ASC', createdAt: 'ASC', id: 'ASC' } });
  const milestones = await manager.getRepository(Milestone).find({ where: { initiativeId: i.id }, order: { createdAt: 'ASC', id: 'ASC' } });
  const history = await manager.getRepository(InitiativeHistory).find({ where: { initiativeId: i.id }, order: { occurredAt: 'ASC', id: 'ASC' } });
  return {
    ...summary,
    disbursements: disbursements.map((d) => toDisbursementDto(open, d)),
    milestones: milestones.map((m) => toMilestoneDto(open, m)),
    history: history.map((h) => ({
      from: h.fromStatus,
      to: h.toStatus,
      note: open(h.noteEnc, INITIATIVE_CIPHER.historyNote),
      actorKind: h.actorKind,
      actorId: h.actorId,
      at: h.occurredAt.toISOString(),
    })),
  };
}
