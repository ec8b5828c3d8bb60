export const GENDERS = ['female', 'male', 'other', 'undisclosed'] as const;
export type Gender = (typeof GENDERS)[number];

export const AGE_BANDS = ['under_18', '18_29', '30_44', '45_59', '60_plus', 'undisclosed'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export const STAKEHOLDER_GROUPS = [
  'tribal_elder', 'religious_leader', 'lawyer', 'journalist', 'political_party', 'business', 'writer',
  'minority_group', 'womens_group', 'youth_group', 'former_combatant', 'vigilante_group',
  'idp_representative', 'academic', 'civil_society', 'other',
] as const;
export type StakeholderGroup = (typeof STAKEHOLDER_GROUPS)[number];

export const INSTITUTIONS = ['police', 'prosecution', 'judiciary', 'local_government', 'military', 'other'] as const;
export type Institution = (typeof INSTITUTIONS)[number];

/** The letter in a pseudonymous code: NP-P-000042 is a participant, NP-S-000007 a state actor. */
export const CODE_KINDS = { participant: 'P', policePartner: 'S' } as const;
export type CodeKind = (typeof CODE_KINDS)[keyof typeof CODE_KINDS];
