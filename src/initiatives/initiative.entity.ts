import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Country } from '../programme/country.entity';
import { Network } from '../programme/network.entity';
import { sqlIn } from '../programme/programme-enums';
import { INITIATIVE_CATEGORIES, INITIATIVE_STATUSES, InitiativeCategory, InitiativeStatus } from './initiative-enums';

/**
 * A funded local initiative of a network. `countryCode` is copied from the network so scoping and
 * reporting filter on this row alone. The budget is numeric(14,2): money never passes through a
 * float; disbursed totals are summed by PostgreSQL.
 */
@Entity('initiatives')
@Index(['countryCode', 'createdAt', 'id'])
@Index(['networkId'])
@Index(['status'])
@Index(['category'])
@Index(['funder'])
@Index(['startOn'])
// Covering index for the impact metrics (migration InitiativesMetricsCoveringIndex).
@Index('IDX_initiatives_metrics_country', { synchronize: false })
@Check('CHK_initiatives_category', sqlIn('category', INITIATIVE_CATEGORIES))
@Check('CHK_initiatives_status', sqlIn('status', INITIATIVE_STATUSES))
@Check('CHK_initiatives_budget', `"budget_amount" > 0`)
@Check('CHK_initiatives_currency', `"budget_currency" ~ '^[A-Z]{3}$'`)
@Check('CHK_initiatives_dates', `"end_on" IS NULL OR "start_on" IS NULL OR "end_on" >= "start_on"`)
export class Initiative {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  networkId!: string;

  @ManyToOne(() => Network, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'network_id' })
  network?: Network;

  @Column('char', { length: 2 })
  countryCode!: string;

  @ManyToOne(() => Country, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  /** PersonalDataCipher, context `initiative.title`: free text may name people. */
  @Column('text')
  titleEnc!: string;

  /** PersonalDataCipher, context `initiative.problemStatement`. */
  @Column('text')
  problemStatementEnc!: string;

  @Column('text')
  category!: InitiativeCategory;

  /** An organisation (an embassy, a foundation), not a person: kept in clear for the exact-match filter. */
  @Column('text')
  funder!: string;

  /** Decimal string as PostgreSQL returns numeric: "1250.00". */
  @Column('numeric', { precision: 14, scale: 2 })
  budgetAmount!: string;

  @Column('char', { length: 3 })
  budgetCurrency!: string;

  @Column('text', { default: 'proposed' })
  status!: InitiativeStatus;

  @Column('date', { nullable: true })
  startOn!: string | null;

  @Column('date', { nullable: true })
  endOn!: string | null;

  @Column('int', { default: 1 })
  version!: number;

  /** Millisecond precision, so a list cursor (a JS Date) names a row exactly. */
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column('timestamptz', { nullable: true })
  archivedAt!: Date | null;
}
