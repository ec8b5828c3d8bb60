import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rollupPlan } from './metrics-rollup-plan';

describe('rollupPlan', () => {
  it('uses the session rollups for ranges of whole months, whatever the grouping', () => {
    assert.equal(rollupPlan({ from: '2016-02-01', to: '2016-02-29', groupBy: 'network' }).sessions, 'network');
    assert.equal(rollupPlan({ groupBy: 'country' }).sessions, 'country');
    assert.equal(rollupPlan({ to: '2015-12-31' }).sessions, 'country');
    assert.equal(rollupPlan({ from: '2016-02-02' }).sessions, null);
    assert.equal(rollupPlan({ to: '2015-02-28' }).sessions, 'country');
    assert.equal(rollupPlan({ to: '2016-02-28' }).sessions, null, '2016 is a leap year');
    assert.equal(rollupPlan({ to: '2016-04-30', networkId: 'n' }).sessions, 'network');
  });

  it('uses the people rollups only for whole periods of the grouping, and never for one network', () => {
    assert.equal(rollupPlan({ groupBy: 'month', from: '2016-02-01', to: '2016-05-31' }).people, 'month');
    assert.equal(rollupPlan({ groupBy: 'quarter', from: '2016-04-01', to: '2016-09-30' }).people, 'quarter');
    assert.equal(rollupPlan({ groupBy: 'quarter', from: '2016-02-01', to: '2016-09-30' }).people, null);
    assert.equal(rollupPlan({ groupBy: 'quarter', from: '2016-04-01', to: '2016-08-31' }).people, null);
    assert.equal(rollupPlan({ groupBy: 'year', from: '2015-01-01', to: '2016-12-31' }).people, 'year');
    assert.equal(rollupPlan({ groupBy: 'year', from: '2015-07-01' }).people, null);
    assert.equal(rollupPlan({ groupBy: 'year' }).people, 'year');
    assert.equal(rollupPlan({ groupBy: 'month', networkId: 'n' }).people, null);
    assert.equal(rollupPlan({ groupBy: 'network', from: '2016-01-01', to: '2016-12-31' }).people, null);
    // A range that is one period is that period's people; any other range's are not a sum of periods.
    assert.equal(rollupPlan({ groupBy: 'country', from: '2016-01-01', to: '2016-12-31' }).people, 'year');
    assert.equal(rollupPlan({ from: '2016-04-01', to: '2016-06-30' }).people, 'quarter');
    assert.equal(rollupPlan({ groupBy: 'country', from: '2016-02-01', to: '2016-02-29' }).people, 'month');
    assert.equal(rollupPlan({ groupBy: 'country', from: '2016-02-01', to: '2016-04-30' }).people, null, 'three months, not a quarter');
    assert.equal(rollupPlan({ groupBy: 'country', from: '2016-01-01', to: '2017-12-31' }).people, null, 'two years');
    assert.equal(rollupPlan({ groupBy: 'country', from: '2016-01-01', to: '2016-06-30' }).people, null, 'half a year');
    assert.equal(rollupPlan({ groupBy: 'country', from: '2016-01-01' }).people, null);
    assert.equal(rollupPlan({ from: '2016-01-01', to: '2016-12-31', networkId: 'n' }).people, null);
  });

  it('uses the indicator rollups unless the question is about networks', () => {
    assert.equal(rollupPlan({ from: '2016-01-15' }).indicators, true);
    assert.equal(rollupPlan({ groupBy: 'network' }).indicators, false);
    assert.equal(rollupPlan({ networkId: 'n' }).indicators, false);
  });

  it('uses the dispute, initiative, money and warning rollups for whole months, unless the question is about networks', () => {
    assert.equal(rollupPlan({ groupBy: 'quarter', from: '2016-02-01', to: '2016-09-30' }).activity, true);
    assert.equal(rollupPlan({ groupBy: 'country' }).activity, true);
    assert.equal(rollupPlan({ from: '2016-01-15' }).activity, false);
    assert.equal(rollupPlan({ to: '2016-02-28' }).activity, false);
    assert.equal(rollupPlan({ groupBy: 'network' }).activity, false);
    assert.equal(rollupPlan({ groupBy: 'month', networkId: 'n' }).activity, false);
  });
});
