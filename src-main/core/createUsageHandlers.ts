import type { Database } from 'better-sqlite3';
import type { AttemptRepository } from '../store/AttemptRepository.ts';
import { UsageReport } from '../store/UsageReport.ts';
import type { Handlers } from './Handlers.ts';

/** Usage reports over the recorded attempts (the queued ones written first, so none is missed). */
export function createUsageHandlers(db: Database, attempts: AttemptRepository): Pick<Handlers, 'usage.summary'> {
  const report = new UsageReport(db, { beforeRead: () => attempts.flush() });
  return {
    'usage.summary': (input) => report.summary(input),
  };
}
