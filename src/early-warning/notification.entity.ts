import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { User } from '../auth/user.entity';
import { EarlyWarning } from './early-warning.entity';

export const NOTIFICATION_KINDS = ['critical_warning_reported', 'critical_warning_escalated', 'critical_warning_raised'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * A notice for one user. Delivery channels (e-mail, SMS) can come later; the record is what the
 * user reads through GET /notifications. Unique per user, kind and warning, so a job that runs
 * twice never notifies twice. Holds ids only: the user opens the warning to read it.
 */
@Entity('notifications')
@Unique('UQ_notifications_user_kind_warning', ['userId', 'kind', 'earlyWarningId'])
@Index(['userId', 'createdAt', 'id'])
@Index(['earlyWarningId'])
export class Notification {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  userId!: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column('text')
  kind!: NotificationKind;

  @Column('uuid')
  earlyWarningId!: string;

  @ManyToOne(() => EarlyWarning, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'early_warning_id' })
  earlyWarning?: EarlyWarning;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  readAt!: Date | null;
}
