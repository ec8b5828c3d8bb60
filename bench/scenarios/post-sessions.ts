import { randomUUID } from 'node:crypto';
import { databaseName } from '../generate/dataset-sizes';
import { ALTERNATING_BLOCKS, repeatedAlternating, repetitionsNote, sampleApi, sampleFloor } from '../lib/measure';
import { compare, Scenario } from './scenario';
import { loadSessionFixtures, sessionBody, writeSessionFloor } from './session-fixtures';

const CONNECTIONS = 32;

/** POST /sessions with 8 attendees and 2 action points, 32 connections, a fresh Idempotency-Key each. */
export const postSessions: Scenario = {
  name: 'post-sessions',
  title: 'POST /sessions (8 attendees, 2 action points)',
  needsWorker: false,
  async run(ctx) {
    const fixtures = await loadSessionFixtures(databaseName(ctx.size as never));
    const key = ctx.keys.country_staff;
    let n = 0;
    let m = 0;
    // A stored response of the size the API stores (an encrypted copy of the created session).
    const responseBody = JSON.stringify({ enc: 'x'.repeat(1_600) });
    const { api, floor, ratios } = await repeatedAlternating(
      ctx.seconds,
      ALTERNATING_BLOCKS,
      (seconds) => sampleApi({
        url: `${ctx.apiUrl}/api/v1/sessions`,
        connections: CONNECTIONS,
        seconds,
        headers: { 'content-type': 'application/json', 'x-api-key': key.key },
        expectStatus: 201,
        requests: [{
          method: 'POST',
          setupRequest: (req) => ({ ...req, body: JSON.stringify(sessionBody(fixtures, n++)), headers: { ...req.headers, 'idempotency-key': randomUUID() } }),
        }],
      }),
      (seconds) => sampleFloor(ctx.databaseUrl, CONNECTIONS, seconds, (client) =>
        writeSessionFloor(client, sessionBody(fixtures, m++), { key, claim: { kind: 'idempotency', key: randomUUID(), responseBody } })),
    );
    return compare({ name: this.name, title: this.title, connections: CONNECTIONS, api, floor, target: '≥ 60% of floor throughput', notes: [repetitionsNote(ratios)] }, 0.6);
  },
};
