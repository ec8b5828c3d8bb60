export const NETWORK_LEVELS = ['national', 'regional', 'district', 'community'] as const;
export type NetworkLevel = (typeof NETWORK_LEVELS)[number];

export const NETWORK_STATUSES = ['active', 'dormant', 'closed'] as const;
export type NetworkStatus = (typeof NETWORK_STATUSES)[number];

export const NETWORK_LINK_KINDS = ['peer', 'mentoring', 'exchange'] as const;
export type NetworkLinkKind = (typeof NETWORK_LINK_KINDS)[number];

/** A link across countries is proposed by one side and confirmed (or declined) by the other. */
export const NETWORK_LINK_STATUSES = ['proposed', 'confirmed', 'declined'] as const;
export type NetworkLinkStatus = (typeof NETWORK_LINK_STATUSES)[number];

export const PARTNER_KINDS = ['csos', 'cbo', 'ngo', 'faith_based', 'media', 'academic', 'other'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** `"col" IN ('a', 'b')` for CHECK constraints, from the same lists the DTOs validate against. */
export const sqlIn = (column: string, values: readonly string[]) => `"${column}" IN (${values.map((v) => `'${v}'`).join(', ')})`;
