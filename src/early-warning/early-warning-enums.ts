/**
 * The 14 risk factors of the UN Framework of Analysis for Atrocity Crimes (2014), by the
 * framework's own numbering: clients send and receive the numbers, never the labels.
 */
export const RISK_FACTORS = {
  1: 'Situations of armed conflict or other forms of instability',
  2: 'Record of serious violations of international human rights and humanitarian law',
  3: 'Weakness of state structures',
  4: 'Motives or incentives',
  5: 'Capacity to commit atrocity crimes',
  6: 'Absence of mitigating factors',
  7: 'Enabling circumstances or preparatory action',
  8: 'Triggering factors',
  9: 'Intergroup tensions or patterns of discrimination against protected groups',
  10: 'Signs of an intent to destroy in whole or in part a protected group',
  11: 'Signs of a widespread or systematic attack against any civilian population',
  12: 'Signs of plans or policies to attack any civilian population',
  13: 'Serious threats to those protected under international humanitarian law',
  14: 'Serious threats to humanitarian or peacekeeping operations',
} as const;
export const MIN_RISK_FACTOR = 1;
export const MAX_RISK_FACTOR = 14;
export const RISK_FACTOR_NUMBERS: readonly number[] = Object.keys(RISK_FACTORS).map(Number);

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const EARLY_WARNING_STATUSES = ['reported', 'verified', 'dismissed', 'escalated', 'resolved'] as const;
export type EarlyWarningStatus = (typeof EARLY_WARNING_STATUSES)[number];

export const INDICATORS = ['reported_crimes', 'violent_incidents', 'police_response_time_minutes', 'trust_score'] as const;
export type Indicator = (typeof INDICATORS)[number];
