import type { ProviderType } from '../../src-shared/domain/provider.ts';
import type { LlmProvider } from '../../src-main/providers/LlmProvider.ts';
import { ProviderError, type ProviderErrorKind } from '../../src-main/providers/ProviderError.ts';
import type { ChatChunk, ChatRequest } from '../../src-main/modelCall/modelCallTypes.ts';

export type Step =
  | { text: string; chunks?: number; delayMs?: number }
  | { fail: ProviderErrorKind; status?: number; retryAfterMs?: number; afterText?: string }
  | { hang: true; afterText?: string };

/**
 * An in-process provider that plays a script, one step per chat call (the last step repeats),
 * and counts calls: the router's decisions tested without any transport.
 */
export function scriptedProvider(id: string, steps: Step[], options: { type?: ProviderType; contextLength?: number } = {}) {
  const calls: ChatRequest[] = [];
  const provider: LlmProvider & { calls: ChatRequest[] } = {
    id,
    type: options.type ?? 'openai',
    calls,
    listModels: async () => [{ id: 'm' }],
    health: async () => ({ ok: true, detail: 'scripted' }),
    capabilities: () => ({ contextLength: options.contextLength ?? 8192, structuredOutput: true, streaming: true }),
    async *chat(request, signal): AsyncIterable<ChatChunk> {
      calls.push(request);
      const step = steps[Math.min(calls.length - 1, steps.length - 1)];
      if (!step) throw new Error('empty script');
      if ('text' in step) {
        const pieces = splitInto(step.text, step.chunks ?? 3);
        for (const piece of pieces) {
          if (step.delayMs) await sleep(step.delayMs, signal);
          signal.throwIfAborted();
          yield { type: 'text', text: piece };
        }
        yield { type: 'usage', inputTokens: 10, outputTokens: pieces.length };
        yield { type: 'finish', reason: 'stop' };
        return;
      }
      if (step.afterText) yield { type: 'text', text: step.afterText };
      if ('hang' in step) {
        await sleep(60_000, signal);
        return;
      }
      throw new ProviderError(id, step.fail, `scripted ${step.fail}`, {
        ...(step.status !== undefined ? { status: step.status } : {}),
        ...(step.retryAfterMs !== undefined ? { retryAfterMs: step.retryAfterMs } : {}),
      });
    },
  };
  return provider;
}

function splitInto(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
      },
      { once: true },
    );
  });
}
