import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Session } from '../field-work/session.entity';
import { Dispute } from './dispute.entity';

/** A dialogue session in which the dispute was taken up (a session of the dispute's country). */
@Entity('dispute_sessions')
@Index(['sessionId'])
export class DisputeSession {
  @PrimaryColumn('uuid')
  disputeId!: string;

  @ManyToOne(() => Dispute, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dispute_id' })
  dispute?: Dispute;

  @PrimaryColumn('uuid')
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id' })
  session?: Session;
}
