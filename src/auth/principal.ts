export const ROLES = ['admin', 'hq_analyst', 'country_staff', 'partner'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a signed-in user or an API key, always with one role and its scope. */
export interface Principal {
  kind: 'user' | 'api_key';
  /** The user id, or the API key id for machine clients. */
  id: string;
  role: Role;
  /** Countries a country_staff principal works in (ISO 3166-1 alpha-2); empty for other roles. */
  countryCodes: string[];
  /** The partner organisation of a partner principal; null for other roles. */
  partnerId: string | null;
}
