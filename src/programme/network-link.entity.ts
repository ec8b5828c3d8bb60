import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Network } from './network.entity';
import { NETWORK_LINK_KINDS, NETWORK_LINK_STATUSES, NetworkLinkKind, NetworkLinkStatus, sqlIn } from './programme-enums';

/**
 * Two networks that share experience, possibly across countries; listed from both ends.
 *
 * `toNetworkId` has no foreign key: a proposal keeps the id its proposer typed, which may name no
 * network at all, so that proposing to a missing network and to another country's answer alike
 * (network-links.service). A trigger (migration NetworkLinkProposals) refuses a confirmed link
 * whose target does not exist.
 */
@Entity('network_links')
@Index('UQ_network_links_pair_kind', ['fromNetworkId', 'toNetworkId', 'kind'], { unique: true })
@Index(['toNetworkId'])
@Check('CHK_network_links_kind', sqlIn('kind', NETWORK_LINK_KINDS))
@Check('CHK_network_links_distinct', `"from_network_id" <> "to_network_id"`)
@Check('CHK_network_links_status', sqlIn('status', NETWORK_LINK_STATUSES))
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

  @Column('text')
  kind!: NetworkLinkKind;

  @Column('date')
  since!: string;

  @Column('text')
  status!: NetworkLinkStatus;

  @Column('int', { default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column('timestamptz', { nullable: true })
  archivedAt!: Date | null;
}
