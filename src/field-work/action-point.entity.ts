import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { sqlIn } from '../programme/programme-enums';
import { ACTION_POINT_STATUSES, ActionPointStatus } from './field-work-enums';
import { Session } from './session.entity';

/** Something a session agreed to do, followed up at later sessions. */
@Entity('action_points')
@Index(['sessionId', 'position'])
@Check('CHK_action_points_status', sqlIn('status', ACTION_POINT_STATUSES))
export class ActionPoint {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: Session;

  /** PersonalDataCipher, context `action_point.description`: it may name people. */
  @Column('text')
  descriptionEnc!: string;

  @Column('date', { nullable: true })
  dueOn!: string | null;

  @Column('text', { default: 'open' })
  status!: ActionPointStatus;

  @Column('int')
  position!: number;

  @Column('int', { default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
