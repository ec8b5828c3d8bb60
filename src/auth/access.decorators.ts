import { SetMetadata } from '@nestjs/common';
import { Role } from './principal';

export const ROLES_KEY = 'jsd:roles';
export const PUBLIC_KEY = 'jsd:public';

/**
 * Declares who may call a route. Every route must carry @Roles or @Public: the global access
 * guard refuses any route that declares neither (deny by default).
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** An explicit, rare opt-out of authentication (login, refresh, health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
