import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Participant } from '../people/participant.entity';
import { PolicePartner } from '../people/police-partner.entity';
import { sqlIn } from '../programme/programme-enums';
import { ATTENDANCE_ROLES, AttendanceRole } from './field-work-enums';
import { Session } from './session.entity';
import { CellKeyColumn } from '../common/entity/cell-key-column';

/** One named person at one session: a participant or a police partner, never both, at most once. */
@Entity('session_attendance')
@Index('UQ_session_attendance_participant', ['sessionId', 'participantId'], { unique: true, where: '"participant_id" IS NOT NULL' })
@Index('UQ_session_attendance_police_partner', ['sessionId', 'policePartnerId'], { unique: true, where: '"police_partner_id" IS NOT NULL' })
@Index(['participantId'])
@Index(['policePartnerId'])
// (session_id, position) INCLUDE (participant_id, police_partner_id): ordered reads of one session and
// impact-metrics joins; see migration ImpactMetricsIndexes.
@Index('IDX_session_attendance_session', { synchronize: false })
@Check('CHK_session_attendance_one_person', `("participant_id" IS NULL) <> ("police_partner_id" IS NULL)`)
@Check('CHK_session_attendance_role', sqlIn('role', ATTENDANCE_ROLES))
export class SessionAttendance {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  sessionId!: string;

  @ManyToOne(() => Session, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'session_id' })
  session?: Session;

  @Column('uuid', { nullable: true })
  participantId!: string | null;

  @ManyToOne(() => Participant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;

  @Column('uuid', { nullable: true })
  policePartnerId!: string | null;

  @ManyToOne(() => PolicePartner, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'police_partner_id' })
  policePartner?: PolicePartner;

  @Column('text')
  role!: AttendanceRole;

  /** Keeps the order the attendance was recorded in. */
  @Column('int')
  position!: number;

  /** Counted in attendance cells of the metrics (docs/metrics.md). */
  @CellKeyColumn()
  cellKey?: number;
}
