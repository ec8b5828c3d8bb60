export const NETWORK_LEVELS = ['national', 'regional', 'district', 'community'] as const;
export type NetworkLevel = (typeof NETWORK_LEVELS)[number];

export const NETWORK_STATUSES = ['active', 'dormant', 'closed'] as const;
export type NetworkStatus = (typeof NETWORK_STATUSES)[number];

export const NETWORK_LINK_KINDS = ['peer', 'mentoring', 'exchange'] as const;
export type NetworkLinkKind = (typeof NETWORK_LINK_KINDS)[number];

export const PARTNER_KINDS = ['csos', 'cbo', 'ngo', 'faith_based', 'media', 'academic', 'other'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** `"col" IN ('a', 'b')` for CHECK constraints, from the same lists the DTOs validate against. */
export const sqlIn = (column: string, values: readonly string[]) => `"${column}" IN (${values.map((v) => `'${v}'`).join(', ')})`;
