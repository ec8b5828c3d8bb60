import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/pagination/page-query.dto';
import { ApiDate, IsCalendarDate } from '../../common/validation/validators';
import { NETWORK_LINK_KINDS, NetworkLinkKind } from '../programme-enums';
import { toBoolean } from './network.dto';

export class CreateNetworkLinkDto {
  @ApiProperty({ format: 'uuid', description: 'Any active network, in any country' })
  @IsUUID()
  toNetworkId!: string;

  @ApiProperty({ enum: NETWORK_LINK_KINDS })
  @IsIn(NETWORK_LINK_KINDS)
  kind!: NetworkLinkKind;

  @ApiDate('Since when the networks have worked together')
  @IsCalendarDate()
  since!: string;
}

export class ListNetworkLinksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  includeArchived?: boolean;
}

export class LinkedNetworkDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'IQ' }) countryCode!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Null for a partner user when the network is not one of its own (partners see nothing beyond their networks).',
  })
  name!: string | null;
}

export class NetworkLinkDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) fromNetworkId!: string;
  @ApiProperty({ format: 'uuid' }) toNetworkId!: string;
  @ApiProperty({ enum: ['outgoing', 'incoming'], description: 'Seen from the network in the path: outgoing when it is fromNetworkId' })
  direction!: 'outgoing' | 'incoming';
  @ApiProperty({ type: LinkedNetworkDto, description: 'The network at the other end' }) network!: LinkedNetworkDto;
  @ApiProperty({ enum: NETWORK_LINK_KINDS }) kind!: NetworkLinkKind;
  @ApiProperty({ type: String, format: 'date' }) since!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
}

export class NetworkLinkPageDto {
  @ApiProperty({ type: [NetworkLinkDto] }) data!: NetworkLinkDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
