import type { ChatMessage } from '../modelCall/modelCallTypes.ts';
import { PromptRedaction, type RedactionRules } from '../secrets/PromptRedaction.ts';

export interface RedactedCall {
  messages: ChatMessage[];
  /** Puts the values back into the streamed answer; absent when nothing was taken out. */
  restorer?: { push(chunk: string): string; end(): string };
}

/**
 * The privacy guard for one attempt on a cloud target: the messages as they leave the machine
 * (PromptRedaction's placeholders) and the restorer for the answer. Local targets and a guard
 * that is off get the messages as they are.
 */
export function redactForTarget(messages: ChatMessage[], location: 'local' | 'cloud' | undefined, rules: RedactionRules | undefined): RedactedCall {
  if (rules === undefined || location !== 'cloud') return { messages };
  const guard = new PromptRedaction(rules);
  guard.reserve(messages.map((message) => message.content));
  const redacted = messages.map((message) => ({ ...message, content: guard.redact(message.content) }));
  return guard.redacted ? { messages: redacted, restorer: guard.restorer() } : { messages };
}
