import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { getMetadataStorage, IsInt, IsOptional, IsString, MetadataStorage, ValidateNested, validateSync } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache';
import { CreateSessionDto } from '../../field-work/dto/session.dto';

class Base {
  @IsString()
  title!: string;
}

class Child {
  @IsInt()
  count!: number;
}

class Derived extends Base {
  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Child)
  children?: Child[];
}

const uncached = (target: abstract new (...args: never[]) => unknown, always = false, strictGroups = false, groups?: string[]) =>
  MetadataStorage.prototype.getTargetValidationMetadatas.call(getMetadataStorage(), target, undefined as never, always, strictGroups, groups);

describe('cacheValidationMetadata', () => {
  cacheValidationMetadata();
  const storage = getMetadataStorage();

  it('answers what class-validator computes, for own, inherited and grouped rules, and the same array each time', () => {
    for (const target of [Base, Derived, Child, CreateSessionDto]) {
      for (const [always, strictGroups, groups] of [[false, false, undefined], [true, false, undefined], [false, true, ['g']]] as const) {
        const cached = storage.getTargetValidationMetadatas(target, undefined as never, always, strictGroups, groups ? [...groups] : undefined);
        assert.deepEqual(cached, uncached(target, always, strictGroups, groups ? [...groups] : undefined), target.name);
      }
      assert.equal(storage.getTargetValidationMetadatas(target, undefined as never, false, false), storage.getTargetValidationMetadatas(target, undefined as never, false, false));
    }
    assert.deepEqual(storage.getTargetValidationMetadatas(Derived, undefined as never, false, false).map((m) => m.propertyName).sort(), ['children', 'children', 'title']);
  });

  it('forgets what it knew when a rule is added later, for the class and the classes that inherit it', () => {
    assert.deepEqual(validateSync(Object.assign(new Derived(), { title: 'x' })), []);
    IsInt()(Base.prototype, 'late');
    assert.deepEqual(storage.getTargetValidationMetadatas(Derived, undefined as never, false, false), uncached(Derived));
    const errors = validateSync(Object.assign(new Derived(), { title: 'x' }));
    assert.deepEqual(errors.map((e) => e.property), ['late']);
  });

  it('is installed once however often it is called', () => {
    const lookup = storage.getTargetValidationMetadatas;
    cacheValidationMetadata();
    assert.equal(storage.getTargetValidationMetadatas, lookup);
  });
});
