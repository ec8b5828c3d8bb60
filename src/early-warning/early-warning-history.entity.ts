import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { EarlyWarningStatus } from './early-warning-enums';
import { EarlyWarning } from './early-warning.entity';

/** One status change of an early warning: who moved it, when, and why. */
@Entity('early_warning_history')
@Index(['earlyWarningId', 'occurredAt', 'id'])
export class EarlyWarningHistory {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  earlyWarningId!: string;

  @ManyToOne(() => EarlyWarning, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'early_warning_id' })
  earlyWarning?: EarlyWarning;

  @Column('text')
  fromStatus!: EarlyWarningStatus;

  @Column('text')
  toStatus!: EarlyWarningStatus;

  /** PersonalDataCipher, context `early_warning.historyNote`: notes may name people. */
  @Column('text')
  noteEnc!: string;

  /** `user` or `api_key`, with its id: the audit log has the full actor. */
  @Column('text')
  actorKind!: string;

  @Column('uuid', { nullable: true })
  actorId!: string | null;

  @Column('timestamptz')
  occurredAt!: Date;
}
