import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { AttemptRecord, RouteRequest } from '../modelCall/modelCallTypes.ts';
import type { LlmProvider } from '../providers/LlmProvider.ts';
import type { CallDeadline } from './callDeadline.ts';
import type { Candidate } from './planTargets.ts';
import type { CallConfig, CallControls, RouterDeps } from './routerTypes.ts';

/** What one try on one target needs from its call (Router's #attempt). */
export interface AttemptInput {
  request: RouteRequest;
  candidate: Candidate & { config: ProviderConfig };
  provider: LlmProvider;
  reason: string;
  record: (partial: Omit<AttemptRecord, 'requestId' | 'attemptNo' | 'task'>) => AttemptRecord;
  pendingRestart: { reason: string | undefined };
  attempts: AttemptRecord[];
  requestId: string;
  deadline: CallDeadline;
  /** estimateTokens(request.messages), counted once per call. */
  promptTokens: number;
  pricing: RouterDeps['pricing'];
  redaction: CallConfig['redaction'];
  controls: CallControls | undefined;
  /** The answer cap sent when the request names none: a budget's reservation assumed it (projectedCost). */
  answerCap: number | undefined;
  /** The signal a wait listens to (the caller's and the deadline's). */
  waitOn: () => AbortSignal;
  /** A full rate window moves the call on (PassedOver) instead of waiting: a balanced target with another after it. */
  passOverFullRate: boolean;
}
