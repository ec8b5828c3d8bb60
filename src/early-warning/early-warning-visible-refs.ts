import { EntityManager } from 'typeorm';
import { RequestContext } from '../common/context/request-context';
import { readableIds } from '../common/scope/readable-ids';
import { SESSION_TABLE } from '../field-work/session-list';
import { EarlyWarningDto } from './dto/early-warning.dto';

/**
 * A report may cite a session of another network of its country. A partner user who reads the
 * report (it concerns one of its networks) sees the source session only when it may read that
 * session too; otherwise sourceSessionId is null. One query for a whole page. Writers (admin,
 * country staff) see every session of their countries, so only reads need this.
 */
export async function hideUnreadableSource<T extends Pick<EarlyWarningDto, 'sourceSessionId'>>(manager: EntityManager, ctx: RequestContext, warnings: T[]): Promise<T[]> {
  const sessions = await readableIds(manager, ctx, SESSION_TABLE, warnings.map((w) => w.sourceSessionId));
  return warnings.map((w) => (w.sourceSessionId && !sessions.has(w.sourceSessionId) ? { ...w, sourceSessionId: null } : w));
}
