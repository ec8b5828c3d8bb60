import { defineWorkflow } from '../common/workflow/workflow';
import { NetworkLinkStatus } from './programme-enums';

/**
 * A cross-country link starts `proposed` and the other country decides; a link within the
 * caller's countries (or an admin's) starts `confirmed`. Both decisions are final: a declined
 * proposal is archived and proposing again reopens it as `proposed`.
 */
export const NETWORK_LINK_WORKFLOW = defineWorkflow<NetworkLinkStatus>('A network link', {
  proposed: ['confirmed', 'declined'],
  confirmed: [],
  declined: [],
});
