import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Participant } from '../people/participant.entity';
import { Dispute } from './dispute.entity';

/** One party to a dispute, in the order the client listed them. The label may name people: encrypted. */
@Entity('dispute_parties')
@Index(['participantId'])
export class DisputeParty {
  @PrimaryColumn('uuid')
  disputeId!: string;

  @ManyToOne(() => Dispute, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'dispute_id' })
  dispute?: Dispute;

  @PrimaryColumn('smallint')
  position!: number;

  /** PersonalDataCipher, context `dispute.partyLabel`. */
  @Column('text')
  labelEnc!: string;

  @Column('uuid', { nullable: true })
  participantId!: string | null;

  @ManyToOne(() => Participant, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;
}
