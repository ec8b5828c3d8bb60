export const SESSION_KINDS = ['dialogue', 'consensus_building', 'mediation_training', 'analysis_workshop', 'community_outreach', 'other'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

export const SESSION_TOPICS = [
  'ethnic_tension', 'religious_tension', 'sectarian_tension', 'idp_host_relations', 'crime', 'drug_trafficking', 'land',
  'militia_activity', 'police_conduct', 'access_to_justice', 'gender_based_violence', 'youth', 'elections',
  'natural_resources', 'other',
] as const;
export type SessionTopic = (typeof SESSION_TOPICS)[number];

export const ATTENDANCE_ROLES = ['attendee', 'facilitator', 'speaker', 'observer'] as const;
export type AttendanceRole = (typeof ATTENDANCE_ROLES)[number];

export const ACTION_POINT_STATUSES = ['open', 'done', 'dropped'] as const;
export type ActionPointStatus = (typeof ACTION_POINT_STATUSES)[number];

/** Sized for the largest community outreach events the country offices report. */
export const MAX_ATTENDANCE = 500;
export const MAX_ACTION_POINTS = 100;
export const MAX_SYNC_OPERATIONS = 500;
