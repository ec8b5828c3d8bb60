import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Participant } from '../people/participant.entity';
import { Dispute } from './dispute.entity';

/** A participant (of the dispute's country) who mediates the dispute. */
@Entity('dispute_mediators')
@Index(['participantId'])
export class DisputeMediator {
  @PrimaryColumn('uuid')
  disputeId!: string;

  @ManyToOne(() => Dispute, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dispute_id' })
  dispute?: Dispute;

  @PrimaryColumn('uuid')
  participantId!: string;

  @ManyToOne(() => Participant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;
}
