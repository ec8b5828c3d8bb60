import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { WITHHELD } from '../../common/crypto/free-text';
import {
  DISPUTE_CATEGORIES, DISPUTE_SEVERITIES, DISPUTE_STATUSES, DisputeCategory, DisputeSeverity, DisputeStatus, REFERRAL_TARGETS, ReferralTarget,
  VIOLENCE_RISKS, ViolenceRisk,
} from '../dispute-enums';

export class DisputePartyViewDto {
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) label!: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when none, or when the participant is not visible to you.' }) participantId!: string | null;
}

export class ResolutionViewDto {
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) terms!: string | null;
  @ApiProperty({ type: String, format: 'date' }) agreedOn!: string;
  @ApiProperty({ type: String, format: 'date', nullable: true }) followUpOn!: string | null;
}

export class ReferralViewDto {
  @ApiProperty({ enum: REFERRAL_TARGETS }) to!: ReferralTarget;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) reference!: string | null;
}

export class DisputeHistoryDto {
  @ApiProperty({ enum: DISPUTE_STATUSES, nullable: true, description: 'null for the creation entry' }) from!: DisputeStatus | null;
  @ApiProperty({ enum: DISPUTE_STATUSES }) to!: DisputeStatus;
  @ApiProperty({ type: String, nullable: true, description: `The transition note; ${WITHHELD}` }) note!: string | null;
  @ApiProperty({ enum: ['user', 'api_key'] }) actorKind!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) actorId!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) at!: string;
}

export class DisputeDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) networkId!: string;
  @ApiProperty({ example: 'IQ', description: 'The network\'s country.' }) countryCode!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when the reporting partner is not visible to you (a partner user sees only its own organisation).' })
  reportedByPartnerId!: string | null;
  @ApiProperty({ type: String, format: 'date' }) reportedOn!: string;
  @ApiProperty({ enum: DISPUTE_CATEGORIES }) category!: DisputeCategory;
  @ApiProperty({ type: String, nullable: true, description: WITHHELD }) description!: string | null;
  @ApiProperty({ type: [DisputePartyViewDto] }) parties!: DisputePartyViewDto[];
  @ApiProperty({ enum: DISPUTE_SEVERITIES }) severity!: DisputeSeverity;
  @ApiProperty({ enum: VIOLENCE_RISKS }) violenceRisk!: ViolenceRisk;
  @ApiProperty({ enum: DISPUTE_STATUSES }) status!: DisputeStatus;
  @ApiProperty({ type: [String], format: 'uuid', description: 'Mediators visible to you (a partner user: participants of its networks).' }) mediatorIds!: string[];
  @ApiProperty({ type: [String], format: 'uuid', description: 'Linked sessions visible to you (a partner user: sessions of its networks). A PATCH replaces only these; links hidden from you stay.' })
  sessionIds!: string[];
  @ApiProperty({ type: ResolutionViewDto, nullable: true }) resolution!: ResolutionViewDto | null;
  @ApiProperty({ type: ReferralViewDto, nullable: true }) referral!: ReferralViewDto | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, description: 'resolution.agreedOn, kept once resolved.' }) resolvedOn!: string | null;
  @ApiProperty() version!: number;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ type: [DisputeHistoryDto], description: 'Every status change, oldest first, starting with the creation (null → reported). Single-record reads only.' })
  history?: DisputeHistoryDto[];
}

export class DisputePageDto {
  @ApiProperty({ type: [DisputeDto] }) data!: DisputeDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
