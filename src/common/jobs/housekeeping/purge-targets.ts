/**
 * Everything the hourly housekeeping job deletes, in one list. Each target names a table and the
 * SQL condition under which a row has expired; rows are deleted in batches so that a large
 * backlog never holds long locks. Only rows that no one may need again belong here: nothing the
 * API would otherwise archive, and never audit_events (append-only).
 */
export interface PurgeTarget {
  /** Key in the job's result and in the log line. */
  name: string;
  table: string;
  /** SQL condition on `table` that is true for expired rows; constant SQL, no parameters. */
  expiredWhere: string;
}

export const PURGE_TARGETS: readonly PurgeTarget[] = [
  {
    name: 'outboxMessages',
    table: 'outbox_messages',
    // Relayed a week ago: BullMQ has long since run (or failed) the job.
    expiredWhere: `relayed_at < now() - interval '7 days'`,
  },
  {
    name: 'idempotencyKeys',
    table: 'idempotency_keys',
    // Past IDEMPOTENCY_TTL_HOURS a retry is a new request anyway (IdempotencyService.claim).
    expiredWhere: `expires_at < now()`,
  },
  {
    name: 'refreshTokens',
    table: 'refresh_tokens',
    // An expired refresh token is refused whatever its state; its row proves nothing any more.
    expiredWhere: `expires_at < now()`,
  },
];
