import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { InitiativeStatus } from './initiative-enums';
import { Initiative } from './initiative.entity';

/** One status change of an initiative: who moved it, when, and why. */
@Entity('initiative_history')
@Index(['initiativeId', 'occurredAt', 'id'])
export class InitiativeHistory {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  initiativeId!: string;

  @ManyToOne(() => Initiative, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'initiative_id' })
  initiative?: Initiative;

  @Column('text')
  fromStatus!: InitiativeStatus;

  @Column('text')
  toStatus!: InitiativeStatus;

  /** PersonalDataCipher, context `initiative.historyNote`: notes may name people. */
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
