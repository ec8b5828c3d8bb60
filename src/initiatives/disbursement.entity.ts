import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Initiative } from './initiative.entity';

/**
 * Money paid out to an initiative, in the budget's currency. Disbursements are a ledger: they are
 * only ever added (under a lock on the initiative row, see DisbursementsService), never changed.
 */
@Entity('disbursements')
@Index(['initiativeId', 'disbursedOn', 'id'])
// Covering index for the impact metrics (migration MetricsRollups).
@Index('IDX_disbursements_metrics_day', { synchronize: false })
@Check('CHK_disbursements_amount', `"amount" > 0`)
@Check('CHK_disbursements_currency', `"currency" ~ '^[A-Z]{3}$'`)
export class Disbursement {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  initiativeId!: string;

  @ManyToOne(() => Initiative, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'initiative_id' })
  initiative?: Initiative;

  @Column('numeric', { precision: 14, scale: 2 })
  amount!: string;

  @Column('char', { length: 3 })
  currency!: string;

  @Column('date')
  disbursedOn!: string;

  /** PersonalDataCipher, context `disbursement.reference`: a voucher reference can name the payee. */
  @Column('text', { nullable: true })
  referenceEnc!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
