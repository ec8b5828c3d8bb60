import { createHash } from 'node:crypto';
import { Principal } from './principal';

/**
 * How long a verified key is trusted without asking the database again. A key revoked through
 * this process (DELETE /api-keys/{id}) is refused at once; one revoked through another replica
 * (or straight in the database) is refused by this replica within this bound.
 */
export const API_KEY_CACHE_TTL_MS = 30_000;

/** More distinct live keys than any deployment has; past it the oldest entry goes first. */
const MAX_ENTRIES = 10_000;

interface Entry {
  principal: Principal;
  expiresAt: number;
}

/**
 * Verified API keys, in process memory, keyed by the SHA-256 of the whole presented key (never
 * the key itself), so that a busy machine client does not cost a database lookup per request.
 * Only keys that verified are kept: a wrong or unknown key always reaches the database. Each
 * re-verification (once per TTL) also refreshes `lastUsedAt`, which stays accurate to about a minute.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();
  /** Revocation is final, so a revoked id is never cached again, even by a lookup that raced it. */
  private readonly revoked = new Set<string>();

  constructor(private readonly now: () => number = () => Date.now()) {}

  static fingerprint(presentedKey: string): string {
    return createHash('sha256').update(presentedKey).digest('hex');
  }

  /** The principal of a key verified less than API_KEY_CACHE_TTL_MS ago, or undefined. */
  get(fingerprint: string): Principal | undefined {
    const entry = this.entries.get(fingerprint);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(fingerprint);
      return undefined;
    }
    return entry.principal;
  }

  /** Remembers a key that has just been verified against the database. */
  set(fingerprint: string, principal: Principal): void {
    if (this.revoked.has(principal.id)) return;
    this.entries.delete(fingerprint);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(fingerprint, { principal, expiresAt: this.now() + API_KEY_CACHE_TTL_MS });
  }

  /** Forgets a key at once, for good (it was revoked). */
  evict(keyId: string): void {
    this.revoked.add(keyId);
    for (const [fingerprint, entry] of this.entries) if (entry.principal.id === keyId) this.entries.delete(fingerprint);
  }
}
