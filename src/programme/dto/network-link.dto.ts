import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { ApiDate, IsCalendarDate } from '../../common/validation/validators';
import { NETWORK_LINK_KINDS, NETWORK_LINK_STATUSES, NetworkLinkKind, NetworkLinkStatus } from '../programme-enums';
import { toBoolean } from './network.dto';

const OTHER_END =
  'Until a cross-country proposal is confirmed neither side sees the other\'s name; the proposing side sees only the id it sent, ' +
  'the receiving side the proposer\'s id and country. A partner user sees ids and names only of its own networks.';

export class CreateNetworkLinkDto {
  @ApiProperty({
    format: 'uuid',
    description:
      'A network of your own countries (the link is confirmed at once) or the id another country office gave you (the link is ' +
      'proposed until that country confirms it; an id that names no network is proposed alike, and never confirmed).',
  })
  @IsUUID()
  toNetworkId!: string;

  @ApiProperty({ enum: NETWORK_LINK_KINDS })
  @IsIn(NETWORK_LINK_KINDS)
  kind!: NetworkLinkKind;

  @ApiDate('Since when the networks have worked together')
  @IsCalendarDate()
  since!: string;
}

export const NETWORK_LINK_DECISIONS = ['confirmed', 'declined'] as const;

export class NetworkLinkTransitionDto {
  @ApiProperty({ enum: NETWORK_LINK_DECISIONS, description: 'proposed → confirmed | declined; both final. Anything else is 409.' })
  @IsIn(NETWORK_LINK_DECISIONS)
  to!: (typeof NETWORK_LINK_DECISIONS)[number];
}

export class ListNetworkLinksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ default: false, description: 'Also archived links, withdrawn and declined proposals.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}

export class LinkedNetworkDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: `Null when not visible to you. ${OTHER_END}` }) id!: string | null;
  @ApiProperty({ type: String, example: 'IQ', nullable: true, description: 'Null on the proposing side of an unconfirmed proposal.' })
  countryCode!: string | null;
  @ApiProperty({ type: String, nullable: true, description: `Null until the link is confirmed, and for a partner user beyond its networks. ${OTHER_END}` })
  name!: string | null;
}

export class NetworkLinkDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The other end\'s id follows network.id' }) fromNetworkId!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The other end\'s id follows network.id' }) toNetworkId!: string | null;
  @ApiProperty({ enum: ['outgoing', 'incoming'], description: 'Seen from the network in the path: outgoing when it is fromNetworkId (the proposing side)' })
  direction!: 'outgoing' | 'incoming';
  @ApiProperty({ type: LinkedNetworkDto, description: 'The network at the other end' }) network!: LinkedNetworkDto;
  @ApiProperty({ enum: NETWORK_LINK_KINDS }) kind!: NetworkLinkKind;
  @ApiProperty({
    enum: NETWORK_LINK_STATUSES,
    description: 'confirmed: both sides see it; proposed: across countries, awaiting the other country (or an admin); declined: refused, archived.',
  })
  status!: NetworkLinkStatus;
  @ApiProperty({ type: String, format: 'date' }) since!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
}

export class NetworkLinkPageDto {
  @ApiProperty({ type: [NetworkLinkDto] }) data!: NetworkLinkDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
