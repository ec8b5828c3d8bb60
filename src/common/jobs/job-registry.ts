import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JOB_FAILED_HANDLER_KEY, JOB_HANDLER_KEY, JobFailedHandlerFn, JobHandlerFn, JobHandlerMetadata } from './job-handler.decorator';
import { declaredJobs, JobRef } from './job-names';

export interface HandlerRegistration extends JobRef {
  /** `Class.method`, for the error message. */
  owner: string;
}

export class JobRegistryError extends Error {}

/**
 * Every problem that should stop the worker: a declared job without a handler (it would sit in
 * Redis for ever), a job with two handlers (which one runs would depend on module order), and a
 * handler for a job that is not declared (a typo, or a constant removed too early).
 */
export function checkHandlers(declared: readonly JobRef[], registrations: readonly HandlerRegistration[]): string[] {
  const problems: string[] = [];
  const key = (job: JobRef) => `${job.queue}/${job.name}`;
  const declaredKeys = new Set(declared.map(key));
  for (const job of declared) {
    const owners = registrations.filter((r) => key(r) === key(job)).map((r) => r.owner);
    if (owners.length === 0) problems.push(`job ${key(job)} has no handler`);
    if (owners.length > 1) problems.push(`job ${key(job)} has ${owners.length} handlers: ${owners.join(', ')}`);
  }
  for (const registration of registrations) {
    if (!declaredKeys.has(key(registration))) {
      problems.push(`${registration.owner} handles ${key(registration)}, which is not declared in common/jobs/job-names.ts`);
    }
  }
  return problems;
}

/** Failure handlers are optional, but at most one per job and only for declared jobs. */
export function checkFailedHandlers(declared: readonly JobRef[], registrations: readonly HandlerRegistration[]): string[] {
  const key = (job: JobRef) => `${job.queue}/${job.name}`;
  const declaredKeys = new Set(declared.map(key));
  const problems: string[] = [];
  for (const job of declared) {
    const owners = registrations.filter((r) => key(r) === key(job)).map((r) => r.owner);
    if (owners.length > 1) problems.push(`job ${key(job)} has ${owners.length} failure handlers: ${owners.join(', ')}`);
  }
  for (const r of registrations) {
    if (!declaredKeys.has(key(r))) problems.push(`${r.owner} handles failures of ${key(r)}, which is not declared in common/jobs/job-names.ts`);
  }
  return problems;
}

/** Finds the @JobHandler methods of the worker's providers and checks them against the constants. */
@Injectable()
export class JobRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, JobHandlerFn>();
  private readonly failedHandlers = new Map<string, JobFailedHandlerFn>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    const registrations: (HandlerRegistration & { fn: JobHandlerFn })[] = [];
    const failedRegistrations: (HandlerRegistration & { fn: JobFailedHandlerFn })[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const target = prototype[method];
        if (typeof target !== 'function') continue;
        const owner = `${instance.constructor.name}.${method}`;
        const meta = this.reflector.get<JobHandlerMetadata | undefined>(JOB_HANDLER_KEY, target);
        if (meta) registrations.push({ ...meta, owner, fn: (target as JobHandlerFn).bind(instance) });
        const failedMeta = this.reflector.get<JobHandlerMetadata | undefined>(JOB_FAILED_HANDLER_KEY, target);
        if (failedMeta) failedRegistrations.push({ ...failedMeta, owner, fn: (target as JobFailedHandlerFn).bind(instance) });
      }
    }
    const problems = [...checkHandlers(declaredJobs(), registrations), ...checkFailedHandlers(declaredJobs(), failedRegistrations)];
    if (problems.length) {
      throw new JobRegistryError(`The worker cannot start: ${problems.join('; ')}.`);
    }
    for (const r of registrations) this.handlers.set(`${r.queue}/${r.name}`, r.fn);
    for (const r of failedRegistrations) this.failedHandlers.set(`${r.queue}/${r.name}`, r.fn);
  }

  failedHandlerFor(queue: string, name: string): JobFailedHandlerFn | undefined {
    return this.failedHandlers.get(`${queue}/${name}`);
  }

  handlerFor(queue: string, name: string): JobHandlerFn | undefined {
    return this.handlers.get(`${queue}/${name}`);
  }
}
