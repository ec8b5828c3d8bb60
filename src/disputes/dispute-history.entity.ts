import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { sqlIn } from '../programme/programme-enums';
import { DISPUTE_STATUSES, DisputeStatus } from './dispute-enums';
import { Dispute } from './dispute.entity';

/**
 * One status change of a dispute: who moved it, when, and why. Creation writes the first row
 * (from null to reported). `occurred_at` is the database's clock_timestamp() (microseconds), so
 * rows of one dispute sort in the order they were written.
 */
@Entity('dispute_history')
@Index(['disputeId', 'occurredAt'])
@Check('CHK_dispute_history_to', sqlIn('to_status', DISPUTE_STATUSES))
export class DisputeHistory {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  disputeId!: string;

  @ManyToOne(() => Dispute, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dispute_id' })
  dispute?: Dispute;

  @Column('text', { nullable: true })
  fromStatus!: DisputeStatus | null;

  @Column('text')
  toStatus!: DisputeStatus;

  /** PersonalDataCipher, context `dispute.historyNote`: notes may name people. */
  @Column('text', { nullable: true })
  noteEnc!: string | null;

  /** `user` or `api_key`, with its id: the audit log has the full actor. */
  @Column('text')
  actorKind!: string;

  @Column('uuid', { nullable: true })
  actorId!: string | null;

  @Column('timestamptz')
  occurredAt!: Date;
}
