import { createHash } from 'node:crypto';
import { Role } from '../../src/auth/principal';
import { sha256 } from '../../src/auth/tokens.service';

/**
 * The API keys of the bench roles, derived from the seed so that the generator (which stores their
 * hashes) and the runner (which sends them) agree without writing a secret to disk. Bench data
 * only: never use such keys on a real deployment.
 */
export interface BenchKey {
  id: string;
  name: string;
  role: Role;
  countryCodes: string[];
  partnerIndex: number | null;
  key: string;
  prefix: string;
  secretHash: string;
}

/** Country staff and the partner work in Iraq (country index 1), the busiest programme. */
export const BENCH_COUNTRY = 'IQ';
export const BENCH_COUNTRY_INDEX = 1;

const ROLES: { name: string; role: Role; countryCodes: string[]; partnerIndex: number | null }[] = [
  { name: 'bench-admin', role: 'admin', countryCodes: [], partnerIndex: null },
  { name: 'bench-hq', role: 'hq_analyst', countryCodes: [], partnerIndex: null },
  { name: 'bench-staff', role: 'country_staff', countryCodes: [BENCH_COUNTRY], partnerIndex: null },
  { name: 'bench-partner', role: 'partner', countryCodes: [], partnerIndex: BENCH_COUNTRY_INDEX },
];

export function benchKeys(seed: number): BenchKey[] {
  return ROLES.map((r) => {
    const digest = createHash('sha256').update(`jsd-bench:${seed}:${r.name}`).digest();
    const prefix = digest.subarray(0, 6).toString('hex');
    const secret = createHash('sha256').update(digest).digest().toString('base64url').slice(0, 43);
    const id = createHash('md5').update(`bench-key:${r.name}`).digest('hex').replace(/^(.{12}).(.{3}).(.*)$/, '$14$28$3');
    return { ...r, id: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`, key: `jsd_${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
  });
}

export function benchKey(seed: number, role: Role): BenchKey {
  return benchKeys(seed).find((k) => k.role === role)!;
}
