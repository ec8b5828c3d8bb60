/**
 * The shape of a stored learning summary (JSON in learning_summaries.content). Definitions, also
 * in docs/metrics.md ("Learning summaries"):
 *
 * - A dispute is **resolved in the period** when it reached `resolved` (resolved_on, the day the
 *   parties agreed) within the period and is not archived; a later `closed` does not undo that.
 * - A topic or session kind is **associated** with a resolved dispute when the dispute is linked
 *   to a (non-archived) session with that topic or kind (the dispute's `sessionIds`), whenever the
 *   session was held. Ranked by the number of resolved disputes associated, then sessions.
 * - An initiative is **completed in the period** when its status is `completed` and its completion
 *   day — `endOn` if recorded, else the day of its transition to completed — is in the period.
 * - A cross-country network link is **active in the period** when it is not archived, existed by
 *   the period's last day (`since`), joins networks of two different countries, and both networks
 *   held at least one (non-archived) session in the period.
 */
export interface Association {
  /** The topic or session kind. */
  value: string;
  /** Resolved disputes linked to at least one session with this topic or kind. */
  resolvedDisputes: number;
  /** Linked sessions with this topic or kind. */
  sessions: number;
  /** resolvedDisputes / resolved disputes with any linked session, 4 decimals. */
  shareOfLinkedResolved: number;
}

/**
 * No title: an initiative's title is free text, which may name people and is withheld from
 * hq_analyst (common/crypto/free-text.ts); the id leads to it for those who may read it.
 */
export interface CompletedInitiative {
  id: string;
  category: string;
  networkId: string;
  completedOn: string;
}

export interface LinkEnd {
  networkId: string;
  name: string;
  countryCode: string;
  /** Sessions the network held in the period. */
  sessions: number;
}

export interface ActiveLink {
  linkId: string;
  kind: string;
  since: string;
  from: LinkEnd;
  to: LinkEnd;
}

/** Row counts of the data a summary was computed from, and when. */
export interface Provenance {
  computedAt: string;
  sourceRows: Record<string, number>;
}

export interface CountrySummaryContent {
  countryCode: string;
  period: string;
  from: string;
  to: string;
  resolvedDisputes: {
    total: number;
    withLinkedSessions: number;
    topics: Association[];
    sessionKinds: Association[];
  };
  initiativesCompleted: {
    total: number;
    byCategory: Record<string, number>;
    items: CompletedInitiative[];
  };
  crossCountryLinks: ActiveLink[];
  provenance: Provenance;
}

export interface CrossCountryContent {
  period: string;
  from: string;
  to: string;
  /** Each stored country summary of the period (with its own provenance and figures), by country code. */
  countries: Record<string, CountrySummaryContent & { figures: unknown }>;
  crossCountryLinks: ActiveLink[];
  provenance: Provenance;
}
