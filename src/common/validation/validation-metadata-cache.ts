import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];

const installed = new WeakSet<Storage>();

/**
 * class-validator recomputes a class's validation metadata for every object it validates: it
 * filters the class's rules and walks every class that has any rule to find its ancestors (a
 * POST /sessions body is a dozen objects, the app has dozens of DTO classes). The answer only
 * changes when a rule is registered, i.e. while decorated classes load, so it is remembered per
 * class and options and forgotten whenever a rule or schema is added.
 */
export function cacheValidationMetadata(storage: Storage = getMetadataStorage()): void {
  if (installed.has(storage)) return;
  installed.add(storage);
  const compute: Lookup = storage.getTargetValidationMetadatas.bind(storage);
  let cache = new Map<unknown, Map<string, ValidationMetadata[]>>();
  const forget = <A extends unknown[]>(add: (...args: A) => void) => (...args: A) => {
    cache = new Map();
    add(...args);
  };
  storage.addValidationMetadata = forget(storage.addValidationMetadata.bind(storage));
  storage.addValidationSchema = forget(storage.addValidationSchema.bind(storage));
  storage.getTargetValidationMetadatas = (targetConstructor, targetSchema, always, strictGroups, groups) => {
    const key = targetSchema === undefined && groups === undefined ? `${always}|${strictGroups}` : JSON.stringify([targetSchema, always, strictGroups, groups]);
    let byOptions = cache.get(targetConstructor);
    if (!byOptions) cache.set(targetConstructor, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = Object.freeze(compute(targetConstructor, targetSchema, always, strictGroups, groups)) as ValidationMetadata[]));
    return found;
  };
}
