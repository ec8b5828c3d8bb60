import { normalizeIp } from '@nestjs/throttler';

/**
 * How much of an IPv6 address names one client: a subscriber is usually given a /64 (or more),
 * and could otherwise step through its addresses to get a fresh budget or lockout with each.
 */
export const IPV6_CLIENT_PREFIX = 64;

/**
 * The one notion of "who is calling" for every limit: the rate limiter's budgets and the login
 * lockout's source. `request.ip` is the socket's address unless TRUSTED_PROXIES names the proxy
 * that connected, in which case Fastify walks X-Forwarded-For back only through trusted hops
 * (app.factory.ts), so a header the client wrote itself never chooses its budget.
 */
export function clientAddress(request: { ip: string }): string {
  return normalizeIp(request.ip, IPV6_CLIENT_PREFIX);
}
