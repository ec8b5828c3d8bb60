import { NotificationKind } from './notification.entity';

/** What made an early warning worth a critical alert; each is notified at most once per user. */
export const CRITICAL_WARNING_TRIGGERS = ['reported', 'escalated', 'raised'] as const;
export type CriticalWarningTrigger = (typeof CRITICAL_WARNING_TRIGGERS)[number];

export const KIND_OF_TRIGGER: Record<CriticalWarningTrigger, NotificationKind> = {
  reported: 'critical_warning_reported',
  escalated: 'critical_warning_escalated',
  raised: 'critical_warning_raised',
};

/** Derived from the input, so a re-relayed message or retried request adds no second job. */
export const criticalWarningJobId = (earlyWarningId: string, trigger: CriticalWarningTrigger) => `critical-ew-${earlyWarningId}-${trigger}`;
