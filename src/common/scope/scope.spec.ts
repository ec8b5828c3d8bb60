import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Principal } from '../../auth/principal';
import { scopeCondition } from './scope';

const principal = (p: Partial<Principal>): Principal => ({ kind: 'user', id: 'u1', role: 'admin', countryCodes: [], partnerId: null, ...p });
const columns = { country: 's.country_code', network: 's.network_id' };

describe('scopeCondition', () => {
  it('lets admin and hq_analyst see every row', () => {
    assert.equal(scopeCondition(principal({ role: 'admin' }), columns).sql, 'TRUE');
    assert.equal(scopeCondition(principal({ role: 'hq_analyst' }), columns).sql, 'TRUE');
  });

  it('confines country staff to their countries', () => {
    const c = scopeCondition(principal({ role: 'country_staff', countryCodes: ['NP', 'IQ'] }), columns);
    assert.equal(c.sql, 's.country_code = ANY(:scopeCountryCodes)');
    assert.deepEqual(c.params, { scopeCountryCodes: ['NP', 'IQ'] });
  });

  it('hides everything from country staff without countries, or on resources without a country', () => {
    assert.equal(scopeCondition(principal({ role: 'country_staff', countryCodes: [] }), columns).sql, 'FALSE');
    assert.equal(scopeCondition(principal({ role: 'country_staff', countryCodes: ['NP'] }), { network: 'x' }).sql, 'FALSE');
  });

  it('confines partners to the networks their partner is assigned to', () => {
    const c = scopeCondition(principal({ role: 'partner', partnerId: 'p1' }), columns);
    assert.match(c.sql, /s\.network_id IN \(SELECT pn\.network_id FROM partner_networks pn WHERE pn\.partner_id = :scopePartnerId\)/);
    assert.deepEqual(c.params, { scopePartnerId: 'p1' });
  });

  it('lets a partner see a row that belongs to several networks when one of them is assigned', () => {
    const c = scopeCondition(principal({ role: 'partner', partnerId: 'p1' }), { country: 'p.country_code', networksOf: 'SELECT x.network_id FROM participant_networks x WHERE x.participant_id = p.id' });
    assert.match(c.sql, /^\(EXISTS \(SELECT 1 FROM partner_networks pn WHERE pn\.partner_id = :scopePartnerId AND pn\.network_id IN \(SELECT x\.network_id FROM participant_networks x WHERE x\.participant_id = p\.id\)\)\)$/);
    assert.deepEqual(c.params, { scopePartnerId: 'p1' });
  });

  it('hides everything from a partner on resources without a network or partner column', () => {
    assert.equal(scopeCondition(principal({ role: 'partner', partnerId: 'p1' }), { country: 'c' }).sql, 'FALSE');
    assert.equal(scopeCondition(principal({ role: 'partner', partnerId: null }), columns).sql, 'FALSE');
  });
});
