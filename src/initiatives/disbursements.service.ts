import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { actorOf, AuditService, REDACTED } from '../common/audit/audit.service';
import { RequestContext } from '../common/context/request-context';
import { seal } from '../common/crypto/free-text';
import { PersonalDataCipher } from '../common/crypto/personal-data-cipher';
import { badRequest, conflict, notFound } from '../common/problem/problem';
import { Disbursement } from './disbursement.entity';
import { CreateDisbursementDto, DisbursementDto } from './dto/disbursement.dto';
import { DISBURSABLE_STATUSES } from './initiative-enums';
import { toDisbursementDto } from './initiative-mapper';
import { INITIATIVE_CIPHER, textOpener } from './initiative-text';
import { findInitiative, findLiveInitiative } from './initiatives.service';

@Injectable()
export class DisbursementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /**
   * Records a payment. The initiative row is locked (SELECT … FOR UPDATE) before the running total
   * is summed, so concurrent disbursements queue behind each other and the total can never pass
   * the budget; the comparison is done in numeric by PostgreSQL.
   */
  async create(ctx: RequestContext, initiativeId: string, dto: CreateDisbursementDto): Promise<DisbursementDto> {
    return this.dataSource.transaction(async (manager) => {
      const initiative = await findLiveInitiative(manager, ctx, initiativeId);
      if (!DISBURSABLE_STATUSES.includes(initiative.status)) {
        throw conflict(`An initiative that is ${initiative.status} cannot receive disbursements; it must be ${DISBURSABLE_STATUSES.join(' or ')}.`, {
          slug: 'not-disbursable',
          currentStatus: initiative.status,
        });
      }
      if (dto.amount.currency !== initiative.budgetCurrency) {
        throw badRequest(`Disbursements must be in the budget's currency (${initiative.budgetCurrency}).`, [
          { field: 'amount.currency', message: `must be ${initiative.budgetCurrency}, the budget's currency` },
        ]);
      }
      const [check] = (await manager.query(
        `SELECT COALESCE(SUM(d.amount), 0) + $2::numeric <= i.budget_amount AS fits,
                (i.budget_amount - COALESCE(SUM(d.amount), 0))::numeric(14,2)::text AS remaining
           FROM initiatives i LEFT JOIN disbursements d ON d.initiative_id = i.id
          WHERE i.id = $1
          GROUP BY i.id`,
        [initiativeId, dto.amount.amount],
      )) as { fits: boolean; remaining: string }[];
      if (!check.fits) {
        throw conflict(`The disbursement would exceed the budget: ${check.remaining} ${initiative.budgetCurrency} remaining.`, {
          slug: 'budget-exceeded',
          remaining: { amount: check.remaining, currency: initiative.budgetCurrency },
        });
      }
      const id = randomUUID();
      const fields = {
        initiativeId,
        amount: dto.amount.amount,
        currency: dto.amount.currency,
        disbursedOn: dto.disbursedOn,
        reference: dto.reference ?? null,
      };
      const { reference, ...columns } = fields;
      await manager.insert(Disbursement, { id, ...columns, referenceEnc: seal(this.cipher, reference, INITIATIVE_CIPHER.disbursementReference) });
      await this.audit.record(manager, actorOf(ctx), {
        action: 'create',
        entity: 'disbursement',
        entityId: id,
        // The reference is free text (it can name the payee): recorded as set, not copied.
        changes: Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { to: k === 'reference' ? REDACTED : v }])),
      });
      return toDisbursementDto(textOpener(this.cipher, ctx, initiative.countryCode), await manager.findOneByOrFail(Disbursement, { id }));
    });
  }

  async get(ctx: RequestContext, initiativeId: string, id: string): Promise<DisbursementDto> {
    const manager = this.dataSource.manager;
    const initiative = await findInitiative(manager, ctx, initiativeId, false);
    const disbursement = await manager.findOneBy(Disbursement, { id, initiativeId });
    if (!disbursement) throw notFound('disbursement');
    return toDisbursementDto(textOpener(this.cipher, ctx, initiative.countryCode), disbursement);
  }
}
