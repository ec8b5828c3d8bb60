import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { principalOf, scopeErrors } from './principal-scope';

describe('role scope', () => {
  it('requires countries for country_staff and nothing else', () => {
    assert.deepEqual(scopeErrors({ role: 'country_staff', countryCodes: ['NP'], partnerId: null }), []);
    assert.equal(scopeErrors({ role: 'country_staff', countryCodes: [], partnerId: null })[0].field, 'countryCodes');
    assert.equal(scopeErrors({ role: 'country_staff', countryCodes: ['np'], partnerId: null })[0].field, 'countryCodes');
    assert.equal(scopeErrors({ role: 'country_staff', countryCodes: ['NP'], partnerId: '00000000-0000-4000-8000-000000000000' })[0].field, 'partnerId');
  });

  it('requires a partnerId for partner and refuses scope on other roles', () => {
    assert.equal(scopeErrors({ role: 'partner', countryCodes: [], partnerId: null })[0].field, 'partnerId');
    assert.equal(scopeErrors({ role: 'hq_analyst', countryCodes: ['IQ'], partnerId: null })[0].field, 'countryCodes');
    assert.deepEqual(scopeErrors({ role: 'admin', countryCodes: [], partnerId: null }), []);
  });

  it('never gives a principal scope its role does not use', () => {
    const p = principalOf('user', 'u1', { role: 'hq_analyst', countryCodes: ['NP'], partnerId: 'x' });
    assert.deepEqual(p.countryCodes, []);
    assert.equal(p.partnerId, null);
  });
});
