import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import { Country } from '../programme/country.entity';
import type { SummaryFigures } from './learning-summary-figures';
import type { CountrySummaryContent } from './learning-summary-content';
import { LearningSummaryRun } from './learning-summary-run.entity';

/**
 * The learning summary of one country and period; unique on (period, country), so a re-run
 * upserts (replaces) it and `version` counts how often it was computed.
 */
@Entity('learning_summaries')
@Unique('UQ_learning_summaries_period_country', ['period', 'countryCode'])
@Index(['countryCode', 'period'])
export class LearningSummary {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  period!: string;

  @Column('date')
  periodFrom!: string;

  /** Last day of the period. */
  @Column('date')
  periodTo!: string;

  @Column('char', { length: 2 })
  countryCode!: string;

  @ManyToOne(() => Country, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  @Column('jsonb')
  content!: CountrySummaryContent;

  /** The impact-metric figures of this country and period (learning-summary-figures.ts); null in summaries stored before figures were computed. */
  @Column('jsonb', { nullable: true })
  figures!: SummaryFigures | null;

  /** The run that last computed it. */
  @Column('uuid')
  runId!: string;

  @ManyToOne(() => LearningSummaryRun, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'run_id' })
  run?: LearningSummaryRun;

  @Column('timestamptz')
  computedAt!: Date;

  @Column('int', { default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
