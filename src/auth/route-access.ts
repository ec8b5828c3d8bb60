import { INestApplication, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { API_PREFIX } from '../app.factory';
import { PUBLIC_KEY, ROLES_KEY } from './access.decorators';
import { Role } from './principal';

export interface RouteAccess {
  method: string;
  path: string;
  /** "public", the roles allowed, or "UNDECLARED" (refused for everyone by the access guard). */
  access: 'public' | 'UNDECLARED' | Role[];
}

const join = (...parts: string[]) => '/' + parts.map((p) => p.replace(/^\/+|\/+$/g, '')).filter(Boolean).join('/');
const asList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : [value === undefined ? '' : String(value)]);

/**
 * Every HTTP route of the running app with who may call it, read from the same metadata the
 * access guard reads, sorted by path and method. A test compares this with a committed snapshot
 * so that any change in who can reach an endpoint shows up in review.
 */
export function listRouteAccess(app: INestApplication): RouteAccess[] {
  const discovery = app.get(DiscoveryService);
  const scanner = app.get(MetadataScanner);
  const reflector = app.get(Reflector);
  const fastify = app.getHttpAdapter().getInstance() as { hasRoute(opts: { method: string; url: string }): boolean };
  const routes: RouteAccess[] = [];

  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
    if (!controller || !wrapper.instance) continue;
    const prototype = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const methodPaths = Reflect.getMetadata(PATH_METADATA, handler) as unknown;
      if (methodPaths === undefined) continue;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const isPublic = reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, [handler, controller]);
      const roles = reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [handler, controller]);
      const access: RouteAccess['access'] = isPublic ? 'public' : roles?.length ? [...roles].sort() : 'UNDECLARED';
      for (const controllerPath of asList(Reflect.getMetadata(PATH_METADATA, controller))) {
        for (const methodPath of asList(methodPaths)) {
          const prefixed = join(API_PREFIX, controllerPath, methodPath);
          // Routes excluded from the global prefix (health) are served without it.
          const path = fastify.hasRoute({ method, url: prefixed }) ? prefixed : join(controllerPath, methodPath);
          routes.push({ method, path, access });
        }
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
