import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Country } from '../programme/country.entity';
import { Network } from '../programme/network.entity';
import { Partner } from '../programme/partner.entity';
import { sqlIn } from '../programme/programme-enums';
import {
  DISPUTE_CATEGORIES, DISPUTE_SEVERITIES, DISPUTE_STATUSES, DisputeCategory, DisputeSeverity, DisputeStatus, REFERRAL_TARGETS, ReferralTarget,
  VIOLENCE_RISKS, ViolenceRisk,
} from './dispute-enums';

/**
 * A dispute mediated in a network. `countryCode` is copied from the network on creation, so
 * scoping and reporting filter on this row alone. Text that may identify people (description,
 * resolution terms, referral reference) is stored only encrypted (`*_enc`, PersonalDataCipher).
 */
@Entity('disputes')
@Index(['countryCode', 'reportedOn'])
@Index(['networkId', 'status'])
@Index(['reportedByPartnerId'])
// Covering index for the impact metrics (migration MetricsRollups; INCLUDE is beyond TypeORM).
@Index('IDX_disputes_metrics_country', { synchronize: false })
@Check('CHK_disputes_category', sqlIn('category', DISPUTE_CATEGORIES))
@Check('CHK_disputes_severity', sqlIn('severity', DISPUTE_SEVERITIES))
@Check('CHK_disputes_violence_risk', sqlIn('violence_risk', VIOLENCE_RISKS))
@Check('CHK_disputes_status', sqlIn('status', DISPUTE_STATUSES))
@Check('CHK_disputes_referral_to', `"referral_to" IS NULL OR ${sqlIn('referral_to', REFERRAL_TARGETS)}`)
@Check('CHK_disputes_resolution', `"resolution_agreed_on" IS NULL OR ("resolution_agreed_on" >= "reported_on" AND "resolution_terms_enc" IS NOT NULL)`)
@Check('CHK_disputes_follow_up', `"resolution_follow_up_on" IS NULL OR "resolution_follow_up_on" >= "resolution_agreed_on"`)
@Check('CHK_disputes_resolved', `"status" <> 'resolved' OR ("resolution_agreed_on" IS NOT NULL AND "resolved_on" IS NOT NULL)`)
@Check('CHK_disputes_referred', `"status" <> 'referred' OR "referral_to" IS NOT NULL`)
export class Dispute {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid')
  networkId!: string;

  @ManyToOne(() => Network, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'network_id' })
  network?: Network;

  @Column('char', { length: 2 })
  countryCode!: string;

  @ManyToOne(() => Country, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'country_code' })
  country?: Country;

  @Column('uuid')
  reportedByPartnerId!: string;

  @ManyToOne(() => Partner, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reported_by_partner_id' })
  reportedByPartner?: Partner;

  @Column('date')
  reportedOn!: string;

  @Column('text')
  category!: DisputeCategory;

  /** PersonalDataCipher, context `dispute.description`. */
  @Column('text')
  descriptionEnc!: string;

  @Column('text')
  severity!: DisputeSeverity;

  @Column('text')
  violenceRisk!: ViolenceRisk;

  @Column('text', { default: 'reported' })
  status!: DisputeStatus;

  /** PersonalDataCipher, context `dispute.resolutionTerms`. */
  @Column('text', { nullable: true })
  resolutionTermsEnc!: string | null;

  @Column('date', { nullable: true })
  resolutionAgreedOn!: string | null;

  @Column('date', { nullable: true })
  resolutionFollowUpOn!: string | null;

  @Column('text', { nullable: true })
  referralTo!: ReferralTarget | null;

  /** PersonalDataCipher, context `dispute.referralReference`: a receiving institution's reference can name a person. */
  @Column('text', { nullable: true })
  referralReferenceEnc!: string | null;

  /** The day the parties agreed (resolution.agreedOn), set on entering resolved: days to resolution = resolved_on − reported_on. */
  @Column('date', { nullable: true })
  resolvedOn!: string | null;

  @Column('int', { default: 1 })
  version!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Column('timestamptz', { nullable: true })
  archivedAt!: Date | null;
}
