import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { API_KEY_CACHE_TTL_MS, ApiKeyCache } from './api-key-cache';
import { Principal } from './principal';

const principal = (id: string): Principal => ({ kind: 'api_key', id, role: 'country_staff', countryCodes: ['IQ'], partnerId: null });

describe('API key cache', () => {
  it('serves a verified key until its TTL has passed, then asks again', () => {
    let now = 1_000;
    const cache = new ApiKeyCache(() => now);
    const fp = ApiKeyCache.fingerprint('jsd_aaaaaaaaaaaa_secret');
    cache.set(fp, principal('k1'));
    now += API_KEY_CACHE_TTL_MS - 1;
    assert.equal(cache.get(fp)?.id, 'k1');
    now += 1;
    assert.equal(cache.get(fp), undefined);
  });

  it('keys entries by the whole presented key: another secret with the same prefix is not served', () => {
    const cache = new ApiKeyCache(() => 0);
    cache.set(ApiKeyCache.fingerprint('jsd_aaaaaaaaaaaa_right'), principal('k1'));
    assert.equal(cache.get(ApiKeyCache.fingerprint('jsd_aaaaaaaaaaaa_wrong')), undefined);
    assert.notEqual(ApiKeyCache.fingerprint('jsd_aaaaaaaaaaaa_right'), 'jsd_aaaaaaaaaaaa_right');
  });

  it('forgets a revoked key at once and never caches it again, even from a lookup that raced the revocation', () => {
    const cache = new ApiKeyCache(() => 0);
    const fp = ApiKeyCache.fingerprint('jsd_aaaaaaaaaaaa_secret');
    cache.set(fp, principal('k1'));
    cache.set(ApiKeyCache.fingerprint('jsd_bbbbbbbbbbbb_other'), principal('k2'));
    cache.evict('k1');
    assert.equal(cache.get(fp), undefined);
    cache.set(fp, principal('k1'));
    assert.equal(cache.get(fp), undefined);
    assert.equal(cache.get(ApiKeyCache.fingerprint('jsd_bbbbbbbbbbbb_other'))?.id, 'k2');
  });
});
