import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Network } from './network.entity';
import { NETWORK_LINK_KINDS, NetworkLinkKind, sqlIn } from './programme-enums';

/** Two networks that share experience, possibly across countries; listed from both ends. */
@Entity('network_links')
@Index('UQ_network_links_pair_kind', ['fromNetworkId', 'toNetworkId', 'kind'], { unique: true })
@Index(['toNetworkId'])
@Check('CHK_network_links_kind', sqlIn('kind', NETWORK_LINK_KINDS))
@Check('CHK_network_links_distinct', `"from_network_id" <> "to_network_id"`)
export class NetworkLink {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  fromNetworkId!: string;

  @Column('uuid')
  toNetworkId!: string;

  @ManyToOne(() => Network, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'from_network_id' })
  fromNetwork?: Network;

  @ManyToOne(() => Network, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'to_network_id' })
  toNetwork?: Network;

  @Column('text')
  kind!: NetworkLinkKind;

  @Column('date')
  since!: string;

  @Column('int', { default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  archivedAt!: Date | null;
}
