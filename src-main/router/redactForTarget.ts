import { hash } from 'node:crypto';
import type { AttemptEgress, ChatMessage } from '../modelCall/modelCallTypes.ts';
import { keysOutOfAnswer } from '../secrets/keysOutOfAnswer.ts';
import { knownSecrets } from '../secrets/knownSecrets.ts';
import { PromptRedaction, type RedactionRules } from '../secrets/PromptRedaction.ts';
import { scrubKnownSecrets } from '../secrets/scrubSecrets.ts';

export interface RedactedCall {
  messages: ChatMessage[];
  /** Puts the values back into the streamed answer and takes the app's keys out of it; absent when there is nothing to do. */
  restorer?: { push(chunk: string): string; end(): string };
  /** For a cloud target: what leaves the machine, for the audit trail (the answer's size is added when it is known). */
  egress?: Omit<AttemptEgress, 'bytesReceived'>;
}

/** The size and hash of what a cloud target is sent (as sent: after the privacy guard), and what the guard took out. */
function egressOf(messages: ChatMessage[], redactions: Record<string, number>): Omit<AttemptEgress, 'bytesReceived'> {
  const text = JSON.stringify(messages);
  return { bytesSent: Buffer.byteLength(text, 'utf8'), promptSha256: hash('sha256', text), redactions };
}

/**
 * One attempt: on a cloud target the messages as they leave the machine (with the privacy guard
 * on, PromptRedaction's placeholders), the restorer for the answer, and what left for the audit
 * trail; local targets get the messages as they are and no egress. On any target, the keys this
 * process holds are taken out of the answer (keysOutOfAnswer): a server that echoes one back
 * gets it stored nowhere.
 */
export function redactForTarget(messages: ChatMessage[], location: 'local' | 'cloud' | undefined, rules: RedactionRules | undefined): RedactedCall {
  const call = guarded(messages, location, rules);
  const secrets = knownSecrets.values();
  return secrets.length === 0 ? call : { ...call, restorer: keysOutOfAnswer(secrets, call.restorer) };
}

function guarded(messages: ChatMessage[], location: 'local' | 'cloud' | undefined, rules: RedactionRules | undefined): RedactedCall {
  if (location !== 'cloud') return { messages };
  // The guard off still takes the app's own keys out: one provider's key is never sent to another
  // in a prompt. A prompt holding none of them (nearly every one; scrubKnownSecrets rules most
  // texts out at once) is sent as it is, without a guard made for it.
  if (rules === undefined) {
    const secrets = knownSecrets.values();
    if (secrets.length === 0 || messages.every((message) => scrubKnownSecrets(message.content, secrets) === message.content)) return { messages, egress: egressOf(messages, {}) };
  }
  const guard = new PromptRedaction(rules ?? { kinds: [] });
  guard.reserve(messages.map((message) => message.content));
  const redacted = messages.map((message) => ({ ...message, content: guard.redact(message.content) }));
  if (!guard.redacted) return { messages, egress: egressOf(messages, {}) };
  return { messages: redacted, restorer: guard.restorer(), egress: egressOf(redacted, { ...guard.counts }) };
}
