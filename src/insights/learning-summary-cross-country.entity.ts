import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { CrossCountryFigures } from './learning-summary-figures';
import type { CrossCountryContent } from './learning-summary-content';
import { LearningSummaryRun } from './learning-summary-run.entity';

/**
 * The comparison across countries for one period: every stored country summary of the period side
 * by side, and the cross-country network links active in it. One row per period, rebuilt (upserted)
 * by every run of that period in the same transaction as its country summaries.
 */
@Entity('learning_summary_cross_country')
@Unique('UQ_learning_summary_cross_country_period', ['period'])
export class LearningSummaryCrossCountry {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  period!: string;

  @Column('date')
  periodFrom!: string;

  @Column('date')
  periodTo!: string;

  /** The countries side by side, sorted. */
  @Column('text', { array: true })
  countryCodes!: string[];

  @Column('jsonb')
  content!: CrossCountryContent;

  /** Cross-country impact figures: the strongest indicator changes (learning-summary-figures.ts). */
  @Column('jsonb', { nullable: true })
  figures!: CrossCountryFigures | null;

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
