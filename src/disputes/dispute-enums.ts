export const DISPUTE_CATEGORIES = [
  'land', 'family', 'tribal', 'sectarian', 'religious', 'natural_resources', 'property', 'police_community', 'idp_host', 'commercial', 'other',
] as const;
export type DisputeCategory = (typeof DISPUTE_CATEGORIES)[number];

export const DISPUTE_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type DisputeSeverity = (typeof DISPUTE_SEVERITIES)[number];

export const VIOLENCE_RISKS = ['none', 'low', 'medium', 'high', 'imminent'] as const;
export type ViolenceRisk = (typeof VIOLENCE_RISKS)[number];

export const DISPUTE_STATUSES = ['reported', 'in_mediation', 'escalated', 'resolved', 'referred', 'withdrawn', 'closed'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

export const REFERRAL_TARGETS = ['police', 'court', 'prosecution', 'local_government', 'other'] as const;
export type ReferralTarget = (typeof REFERRAL_TARGETS)[number];
