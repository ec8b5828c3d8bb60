import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExecutionContext, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ProblemException } from '../common/problem/problem';
import { Public, Roles } from './access.decorators';
import { AccessGuard, strategiesFor } from './access.guard';

class Undeclared {
  handler(): void {}
}

class Declared {
  @Public()
  open(): void {}

  @Roles('admin')
  admin(): void {}
}

function contextFor(cls: new () => object, handler: string, request: object = { headers: {} }): ExecutionContext {
  const proto = cls.prototype as Record<string, () => void>;
  const reply = { header: () => reply };
  return {
    getType: () => 'http',
    getClass: () => cls,
    getHandler: () => proto[handler],
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => reply }),
  } as unknown as ExecutionContext;
}

// The refusal is logged as a programming error; keep the test output clean.
Logger.overrideLogger(false);

describe('AccessGuard', () => {
  const guard = new AccessGuard(new Reflector());

  it('refuses a route that declares neither @Roles nor @Public (deny by default)', async () => {
    await assert.rejects(guard.canActivate(contextFor(Undeclared, 'handler')), (error: unknown) => {
      assert.ok(error instanceof ProblemException);
      assert.equal(error.problem.status, 403);
      return true;
    });
  });

  it('lets a @Public route through without credentials', async () => {
    assert.equal(await guard.canActivate(contextFor(Declared, 'open')), true);
  });
});

describe('strategiesFor', () => {
  it('asks only the strategies whose credential header the request carries, in order', () => {
    assert.deepEqual(strategiesFor({}), []);
    assert.deepEqual(strategiesFor({ 'x-api-key': 'jsd_x' }), ['api-key']);
    assert.deepEqual(strategiesFor({ authorization: 'Bearer x' }), ['jwt']);
    assert.deepEqual(strategiesFor({ authorization: 'Basic x', 'x-api-key': 'jsd_x' }), ['jwt', 'api-key']);
    assert.deepEqual(strategiesFor({ authorization: '' }), ['jwt'], 'an empty header is still presented (and refused by the strategy)');
  });
});
