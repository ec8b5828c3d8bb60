import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Network } from './network.entity';
import { Partner } from './partner.entity';

/**
 * A partner's assignment to a network: what a `partner` user may see and write is exactly the
 * networks listed here (common/scope reads this table in SQL).
 */
@Entity('partner_networks')
@Index(['networkId'])
export class PartnerNetwork {
  @PrimaryColumn('uuid')
  partnerId!: string;

  @PrimaryColumn('uuid')
  networkId!: string;

  @ManyToOne(() => Partner, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'partner_id' })
  partner?: Partner;

  @ManyToOne(() => Network, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'network_id' })
  network?: Network;

  @CreateDateColumn({ type: 'timestamptz' })
  assignedAt!: Date;
}
