import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Network } from '../programme/network.entity';
import { Participant } from './participant.entity';

/** The networks a participant belongs to (`networkIds[]`). */
@Entity('participant_networks')
@Index(['networkId'])
export class ParticipantNetwork {
  @PrimaryColumn('uuid')
  participantId!: string;

  @PrimaryColumn('uuid')
  networkId!: string;

  @ManyToOne(() => Participant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'participant_id' })
  participant?: Participant;

  @ManyToOne(() => Network, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'network_id' })
  network?: Network;

  @CreateDateColumn({ type: 'timestamptz' })
  joinedAt!: Date;
}
