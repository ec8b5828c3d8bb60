import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PersonalDataCipher } from '../crypto/personal-data-cipher';
import { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.module';
import { RequestContext } from '../context/request-context';
import { canonicalJson } from '../audit/audit-chain';
import { ProblemException } from '../problem/problem';
import { IdempotencyKey } from './idempotency-key.entity';

const RESPONSE_CONTEXT = 'idempotency.responseBody';

/** Longer than any request may run (Fastify's requestTimeout is 30 s). */
const LEASE_SECONDS = 60;

/** Pauses between attempts to record a key's outcome while the database is away (about 45 s in all, within the lease). */
const OUTCOME_RETRY_DELAYS_MS = [500, 1_000, 2_000, 3_000, 5_000, 5_000, 8_000, 10_000, 10_000];

export type Claim =
  | { kind: 'proceed'; handle: IdempotencyHandle }
  | { kind: 'replay'; status: number; body: unknown; location: string | null };

export interface IdempotentRequest {
  principalKey: string;
  key: string;
  method: string;
  path: string;
  body: unknown;
}

/**
 * What settles a key: the caller, the key and the token of the claim holding it. The token is
 * made by the server and never leaves it, so no request can settle a key it did not claim
 * (the client-chosen X-Request-Id once could: see migration IdempotencyClaimToken).
 */
export interface IdempotencyClaim {
  principalKey: string;
  key: string;
  claimToken: string;
}

/** What the interceptor and the write share about one request holding an Idempotency-Key. */
export interface IdempotencyHandle extends IdempotencyClaim {
  /** Set by AuditService once the write's transaction has stored this response (completed) with the write. */
  stored?: PreparedResponse;
}

/** A response ready to be stored by the write's own transaction (AuditService.record), see prepare(). */
export interface PreparedResponse {
  status: number;
  location: string | null;
  /** The encrypted body as response_body holds it. */
  sealed: string;
  /** The body as JSON, for the interceptor to check that it answers what was stored. */
  json: string;
  handle: IdempotencyHandle;
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method}\n${path}\n${canonicalJson(body ?? null)}`).digest('hex');
}

@Injectable()
export class IdempotencyService {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cipher: PersonalDataCipher,
  ) {}

  /**
   * Takes the key for this request, or says how to answer instead. The insert is the lock: of
   * two racing requests with one key exactly one inserts; the other sees `in_progress` → 409.
   */
  async claim(req: IdempotentRequest): Promise<Claim> {
    const hash = requestHash(req.method, req.path, req.body);
    const claimToken = randomUUID();
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO idempotency_keys (principal_key, key, request_hash, state, claim_token, lease_until, created_at, expires_at)
       VALUES ($1, $2, $3, 'in_progress', $4, now() + make_interval(secs => $5), now(), now() + make_interval(hours => $6))
       ON CONFLICT (principal_key, key) DO UPDATE
         -- a takeover gets its own token: the attempt it replaces can no longer settle the key
         SET request_hash = EXCLUDED.request_hash, state = 'in_progress', claim_token = EXCLUDED.claim_token,
             lease_until = EXCLUDED.lease_until, created_at = now(), expires_at = EXCLUDED.expires_at,
             response_status = NULL, response_body = NULL, response_location = NULL
         -- an expired key is forgotten; an abandoned lease (nothing committed) may be taken over
         WHERE idempotency_keys.expires_at < now()
            OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.lease_until < now()
                AND idempotency_keys.request_hash = EXCLUDED.request_hash)
       RETURNING 1`,
      [req.principalKey, req.key, hash, claimToken, LEASE_SECONDS, this.config.idempotencyTtlHours],
    );
    if (inserted.length) return { kind: 'proceed', handle: { principalKey: req.principalKey, key: req.key, claimToken } };

    const existing = await this.dataSource.getRepository(IdempotencyKey).findOneBy({ principalKey: req.principalKey, key: req.key });
    if (!existing) return this.claim(req); // released between our insert and read: try again
    if (existing.requestHash !== hash) {
      throw new ProblemException(422, 'This Idempotency-Key was already used with a different request body.', {
        slug: 'idempotency-key-reuse',
      });
    }
    if (existing.state === 'completed') {
      return { kind: 'replay', status: existing.responseStatus ?? 200, body: this.open(existing.responseBody), location: existing.responseLocation };
    }
    if (existing.state === 'committed' && existing.leaseUntil.getTime() < Date.now()) {
      throw new ProblemException(409, 'The original request with this Idempotency-Key was applied but its response was not recorded; read the resource instead of retrying.', {
        slug: 'idempotency-response-lost',
      });
    }
    throw new ProblemException(409, 'A request with this Idempotency-Key is still being processed; retry shortly.', {
      slug: 'idempotency-in-progress',
    });
  }

  /**
   * Stores the response for replay, encrypted: a response can show a participant's name, and this
   * table must not become a clear-text copy of personal data.
   */
  async complete(claim: IdempotencyClaim, status: number, body: unknown, location: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET state = 'completed', response_status = $4, response_body = $5, response_location = $6
       WHERE principal_key = $1 AND key = $2 AND claim_token = $3`,
      [claim.principalKey, claim.key, claim.claimToken, status, JSON.stringify(this.seal(body)), location],
    );
  }

  /**
   * For a create that knows its answer before its transaction commits: the response to hand to
   * AuditService.record, which stores it (state `completed`) in the statement that marks the key
   * committed. The write then commits with its response, and the interceptor has nothing left to
   * store: one commit per request instead of two. Undefined when the request has no key.
   */
  prepare(ctx: RequestContext, status: number, body: unknown, location: string | null): PreparedResponse | undefined {
    if (!ctx.idempotency) return undefined;
    const json = JSON.stringify(body ?? null);
    return { status, location, sealed: JSON.stringify(this.sealJson(json)), json, handle: ctx.idempotency };
  }

  /**
   * Forgets every stored response about a resource (by the Location its create answered with):
   * erasing a person must also erase the copies of their record kept for retries.
   */
  async forgetResponsesFor(manager: EntityManager, location: string): Promise<void> {
    await manager.query(`DELETE FROM idempotency_keys WHERE response_location = $1`, [location]);
  }

  /**
   * Withdraws the stored responses that `about` picks (given each one's Location and its body as
   * JSON text): erasing a person must not leave copies of what they were shown until the TTL.
   * The key itself stays, committed and without a response, so a retry is told to read the
   * resource (409 idempotency-response-lost) instead of writing a duplicate. Returns how many.
   */
  async withdrawResponses(manager: EntityManager, about: (location: string | null, json: string) => boolean): Promise<number> {
    let withdrawn = 0;
    let after: [string, string] | null = null;
    for (;;) {
      const rows = (await manager.query(
        `SELECT principal_key, key, response_location, response_body FROM idempotency_keys
          WHERE response_body IS NOT NULL AND ($1::text IS NULL OR (principal_key, key) > ($1::text, $2::text))
          ORDER BY principal_key, key LIMIT 500`,
        [after?.[0] ?? null, after?.[1] ?? null],
      )) as { principal_key: string; key: string; response_location: string | null; response_body: unknown }[];
      if (!rows.length) return withdrawn;
      after = [rows[rows.length - 1].principal_key, rows[rows.length - 1].key];
      const picked = rows.filter((r) => about(r.response_location, this.openJson(r.response_body)));
      if (!picked.length) continue;
      await manager.query(
        `UPDATE idempotency_keys k SET state = 'committed', response_status = NULL, response_body = NULL, response_location = NULL, lease_until = now()
           FROM unnest($1::text[], $2::text[]) AS x(principal_key, key)
          WHERE k.principal_key = x.principal_key AND k.key = x.key`,
        [picked.map((r) => r.principal_key), picked.map((r) => r.key)],
      );
      withdrawn += picked.length;
    }
  }

  /**
   * complete() or release() now, or — when the database is unreachable, as in a restart — again
   * in the background until it works. Without this a key whose request failed while the database
   * was away would answer 409 "in progress" to every retry until its lease ran out (a minute),
   * and a write whose response could not be recorded would never be replayable.
   */
  settle(action: () => Promise<void>, attempt = 0): Promise<void> {
    return action().catch((error: unknown) => {
      const delay = OUTCOME_RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        this.logger.error({ err: error }, 'could not record an idempotency key outcome; its lease will expire');
        return;
      }
      setTimeout(() => void this.settle(action, attempt + 1), delay).unref();
    });
  }

  private seal(body: unknown): { enc: string } {
    return this.sealJson(JSON.stringify(body ?? null));
  }

  private sealJson(json: string): { enc: string } {
    return { enc: this.cipher.encrypt(json, RESPONSE_CONTEXT) };
  }

  /** A stored body as the JSON text it was. */
  private openJson(stored: unknown): string {
    const enc = (stored as { enc?: unknown } | null)?.enc;
    return typeof enc === 'string' ? this.cipher.decrypt(enc, RESPONSE_CONTEXT) : JSON.stringify(stored);
  }

  private open(stored: unknown): unknown {
    const enc = (stored as { enc?: unknown } | null)?.enc;
    return typeof enc === 'string' ? JSON.parse(this.cipher.decrypt(enc, RESPONSE_CONTEXT)) : stored;
  }

  /**
   * Forgets the key after a failed request so that a corrected retry can reuse it. A failed
   * request wrote nothing (every write is one transaction), so there is nothing to replay.
   */
  async release(claim: IdempotencyClaim): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE principal_key = $1 AND key = $2 AND claim_token = $3 AND state = 'in_progress'`,
      [claim.principalKey, claim.key, claim.claimToken],
    );
  }
}
