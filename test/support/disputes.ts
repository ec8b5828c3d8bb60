import assert from 'node:assert/strict';
import { TestApp } from './test-app';

export const DISPUTES = '/api/v1/disputes';

export const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

/** A valid dispute body for `networkId` reported by `partnerId`; `extra` overrides. */
export function disputeBody(networkId: string, partnerId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    networkId,
    reportedByPartnerId: partnerId,
    reportedOn: '2026-01-10',
    category: 'land',
    description: 'Two families claim the plot by the river after the flood.',
    parties: [{ label: 'Northern family' }, { label: 'Southern family' }],
    severity: 'medium',
    violenceRisk: 'low',
    ...extra,
  };
}

/** Creates a dispute through the API; fails the test unless 201. */
export async function createDispute(t: TestApp, token: string, body: Record<string, unknown>): Promise<{ id: string; version: number; status: string }> {
  const res = await t.http.post(DISPUTES).set(auth(token)).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

/** What a transition needs besides `to`: the payload its target requires. */
export function payloadFor(to: string): Record<string, unknown> {
  if (to === 'resolved') return { resolution: { terms: 'Plot divided along the old wall.', agreedOn: '2026-01-20', followUpOn: '2026-03-01' } };
  if (to === 'referred') return { referral: { to: 'court', reference: 'Case 2026/14' } };
  return {};
}
