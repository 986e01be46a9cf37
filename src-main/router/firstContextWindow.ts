import type { ProviderConfig, Target } from '../../src-shared/domain/provider.ts';
import type { TargetTokens } from '../modelCall/modelCallTypes.ts';
import type { LlmProvider } from '../providers/LlmProvider.ts';
import type { Candidate } from './planTargets.ts';
import { targetTokens } from './targetTokens.ts';

/**
 * The window (learned from its server first, bounded, cached) and token count of the first target
 * of `candidates` a call would be sent to (not skipped, configured, its key not rejected, its
 * adapter able to start): the one prompts for the task are sized for.
 */
export async function firstContextWindow(
  candidates: readonly Candidate[],
  keyRejected: ReadonlySet<string>,
  provider: (config: ProviderConfig) => LlmProvider | Promise<LlmProvider>,
  signal?: AbortSignal,
): Promise<{ target: Target; contextLength: number; tokens: TargetTokens } | undefined> {
  for (const candidate of candidates) {
    if (candidate.skip || !candidate.config || keyRejected.has(candidate.config.id)) continue;
    try {
      const adapter = await provider(candidate.config);
      await adapter.learnContextLength?.(candidate.target.model, signal);
      const own = targetTokens(adapter, candidate.target.model);
      // chat() refuses when its 4-characters-a-token estimate passes the window: never count less.
      const tokens: TargetTokens = { contextLength: own.contextLength, count: (text) => Math.max(own.count(text), Math.ceil(text.length / 4)) };
      return { target: candidate.target, contextLength: own.contextLength, tokens };
    } catch {
      continue;
    }
  }
  return undefined;
}
