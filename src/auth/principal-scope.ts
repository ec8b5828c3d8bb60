import { FieldError, ProblemException } from '../common/problem/problem';
import { Principal, Role } from './principal';

export const COUNTRY_CODE = /^[A-Z]{2}$/;

export interface Scope {
  role: Role;
  countryCodes: string[];
  partnerId: string | null;
}

/**
 * Least privilege: a role carries exactly the scope it needs. country_staff has one or more
 * countries, partner has its partner organisation, and every other role has neither, so a
 * scope left over from an earlier role can never widen what a principal sees.
 */
export function scopeErrors(scope: Scope): FieldError[] {
  const errors: FieldError[] = [];
  if (scope.role === 'country_staff') {
    if (!scope.countryCodes.length) errors.push({ field: 'countryCodes', message: 'country_staff needs at least one country code' });
    for (const code of scope.countryCodes) {
      if (!COUNTRY_CODE.test(code)) errors.push({ field: 'countryCodes', message: `"${code}" is not an ISO 3166-1 alpha-2 code` });
    }
  } else if (scope.countryCodes.length) {
    errors.push({ field: 'countryCodes', message: `only country_staff has country codes, not ${scope.role}` });
  }
  if (scope.role === 'partner') {
    if (!scope.partnerId) errors.push({ field: 'partnerId', message: 'partner needs a partnerId' });
  } else if (scope.partnerId) {
    errors.push({ field: 'partnerId', message: `only partner has a partnerId, not ${scope.role}` });
  }
  return errors;
}

export function assertValidScope(scope: Scope): void {
  const errors = scopeErrors(scope);
  if (errors.length) {
    throw new ProblemException(400, `${errors.length} field(s) failed validation.`, { slug: 'validation', title: 'Validation failed', errors });
  }
}

/** Sorted and de-duplicated, so that equal scopes compare equal in audit diffs. */
export function normaliseCountryCodes(codes: string[] | undefined): string[] {
  return [...new Set(codes ?? [])].sort();
}

export function principalOf(kind: Principal['kind'], id: string, scope: Scope): Principal {
  return {
    kind,
    id,
    role: scope.role,
    countryCodes: scope.role === 'country_staff' ? [...scope.countryCodes] : [],
    partnerId: scope.role === 'partner' ? scope.partnerId : null,
  };
}
