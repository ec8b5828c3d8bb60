import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Network } from '../programme/network.entity';
import { PolicePartner } from './police-partner.entity';

/** The networks a police partner takes part in. */
@Entity('police_partner_networks')
@Index(['networkId'])
export class PolicePartnerNetwork {
  @PrimaryColumn('uuid')
  policePartnerId!: string;

  @PrimaryColumn('uuid')
  networkId!: string;

  @ManyToOne(() => PolicePartner, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'police_partner_id' })
  policePartner?: PolicePartner;

  @ManyToOne(() => Network, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'network_id' })
  network?: Network;

  @CreateDateColumn({ type: 'timestamptz' })
  joinedAt!: Date;
}
