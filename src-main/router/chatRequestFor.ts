import type { ChatMessage, ChatRequest, RouteRequest } from '../modelCall/modelCallTypes.ts';

/**
 * What one attempt asks its adapter: the target's model, the messages (and a structured call's
 * schema) as they leave, and the call's parameters (the answer capped at `answerCap` when the call
 * names no cap).
 */
export function chatRequestFor(request: RouteRequest, model: string, messages: ChatMessage[], answerCap: number | undefined, schema: ChatRequest['schema'] = request.schema): ChatRequest {
  return {
    model,
    messages,
    ...(request.maxTokens !== undefined ? { maxTokens: request.maxTokens } : answerCap !== undefined ? { maxTokens: answerCap } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
    ...(schema ? { schema } : {}),
  };
}
