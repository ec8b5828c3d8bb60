import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Session } from '../field-work/session.entity';
import { Initiative } from './initiative.entity';

/** A dialogue session where the problem an initiative answers was identified (same network). */
@Entity('initiative_origin_sessions')
@Index(['sessionId'])
export class InitiativeOriginSession {
  @PrimaryColumn('uuid')
  initiativeId!: string;

  @PrimaryColumn('uuid')
  sessionId!: string;

  @ManyToOne(() => Initiative, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'initiative_id' })
  initiative?: Initiative;

  @ManyToOne(() => Session, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'session_id' })
  session?: Session;

  /** Keeps the order the client gave. */
  @Column('smallint')
  position!: number;
}
