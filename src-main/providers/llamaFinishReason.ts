import type { LlamaChatResponse } from 'node-llama-cpp';
import type { FinishReason } from '../modelCall/modelCallTypes.ts';

/** Why node-llama-cpp stopped generating, as the router's finish reason. */
export function llamaFinishReason(stopReason: LlamaChatResponse['metadata']['stopReason']): FinishReason {
  switch (stopReason) {
    case 'maxTokens':
      return 'length';
    case 'abort':
      return 'cancelled';
    case 'eogToken':
    case 'stopGenerationTrigger':
    case 'customStopTrigger':
    case 'functionCalls':
      return 'stop';
    default:
      return stopReason satisfies never;
  }
}
