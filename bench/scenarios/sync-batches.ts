import { createHash, randomUUID } from 'node:crypto';
import { canonicalJson } from '../../src/common/audit/audit-chain';
import { databaseName } from '../generate/dataset-sizes';
import { loadApi, loadFloor } from '../lib/measure';
import { compare, Scenario } from './scenario';
import { loadSessionFixtures, sessionBody, writeSessionFloor } from './session-fixtures';

/** Field offices upload in bursts: a few devices at once, each sending a full batch. */
const CONNECTIONS = 8;
const BATCH = 100;

/** POST /sync with batches of 100 offline session creates; the floor applies the same 100, each in its own transaction. */
export const syncBatches: Scenario = {
  name: 'sync',
  title: `POST /sync, batches of ${BATCH} session creates`,
  needsWorker: false,
  async run(ctx) {
    const fixtures = await loadSessionFixtures(databaseName(ctx.size as never));
    const key = ctx.keys.country_staff;
    let n = 0;
    const batch = () => ({
      operations: Array.from({ length: BATCH }, () => ({ clientId: randomUUID(), resource: 'sessions', method: 'POST', body: sessionBody(fixtures, n++) })),
    });
    const api = await loadApi({
      url: `${ctx.apiUrl}/api/v1/sync`,
      connections: CONNECTIONS,
      seconds: ctx.seconds,
      headers: { 'content-type': 'application/json', 'x-api-key': key.key },
      expectStatus: 200,
      requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: JSON.stringify(batch()) }) }],
    });
    const floor = await loadFloor(ctx.databaseUrl, CONNECTIONS, ctx.seconds, async (client, worker, i) => {
      for (let k = 0; k < BATCH; k++) {
        const body = sessionBody(fixtures, (worker * 100_000 + i) * BATCH + k);
        const hash = createHash('sha256').update(canonicalJson({ resource: 'sessions', method: 'POST', body, id: null, version: null })).digest('hex');
        await writeSessionFloor(client, body, { key, claim: { kind: 'sync', clientId: randomUUID(), hash } });
      }
    });
    return compare({ name: this.name, title: this.title, connections: CONNECTIONS, api, floor, target: 'reported (no target in the issue)', notes: [`throughput in batches/s; × ${BATCH} for operations/s`] });
  },
};
