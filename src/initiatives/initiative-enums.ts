export const INITIATIVE_CATEGORIES = [
  'police_post',
  'help_desk',
  'detention_facility',
  'school_program',
  'interfaith_committee',
  'code_of_conduct',
  'infrastructure',
  'livelihood',
  'training',
  'other',
] as const;
export type InitiativeCategory = (typeof INITIATIVE_CATEGORIES)[number];

export const INITIATIVE_STATUSES = ['proposed', 'approved', 'in_progress', 'completed', 'cancelled'] as const;
export type InitiativeStatus = (typeof INITIATIVE_STATUSES)[number];

/** Only an initiative that has been approved and not yet closed may receive money. */
export const DISBURSABLE_STATUSES: readonly InitiativeStatus[] = ['approved', 'in_progress'];

/** Who may create and change initiatives, disbursements and milestones (partners and hq read). */
export const INITIATIVE_WRITERS = ['admin', 'country_staff'] as const;
export const INITIATIVE_READERS = ['admin', 'hq_analyst', 'country_staff', 'partner'] as const;
