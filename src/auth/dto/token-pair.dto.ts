import { ApiProperty } from '@nestjs/swagger';
import { ROLES } from '../principal';

export class TokenPairDto {
  @ApiProperty({ description: 'JWT (HS256) to send as `Authorization: Bearer …`.' })
  accessToken!: string;

  @ApiProperty({ description: 'Opaque; exchange it at /auth/refresh. Each one works once (30 s grace for retries).' })
  refreshToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  @ApiProperty({ description: 'Lifetime of the access token in seconds.' })
  expiresIn!: number;
}

export class MeDto {
  @ApiProperty({ format: 'uuid', description: 'User id, or API key id for machine clients.' })
  id!: string;

  @ApiProperty({ enum: ['user', 'api_key'] })
  kind!: 'user' | 'api_key';

  @ApiProperty({ nullable: true, type: String, description: 'Null for API keys.' })
  email!: string | null;

  @ApiProperty({ nullable: true, type: String })
  displayName!: string | null;

  @ApiProperty({ enum: ROLES })
  role!: string;

  @ApiProperty({ type: [String], example: ['NP'] })
  countryCodes!: string[];

  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  partnerId!: string | null;
}
