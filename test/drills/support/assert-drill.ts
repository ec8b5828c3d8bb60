import assert from 'node:assert/strict';
import { DrillResult } from './drill-result';
import { printTable } from './drill-table';

/** Prints the drill's row (figures show in the test output) and fails with every broken promise. */
export function assertDrill(result: DrillResult): void {
  printTable([result]);
  assert.deepEqual(result.failures, [], `${result.drill} failed`);
  assert.ok(result.audit, 'the audit check ran');
  assert.equal(result.audit.chainOk, true, `audit:verify on the drill database: ${result.audit.chainOutput}`);
  assert.deepEqual(result.audit.entities.filter((x) => x.unaudited || x.phantom), [], 'every record the drill created has its audit event');
  assert.equal(result.lost, 0);
  assert.equal(result.duplicated, 0);
}
