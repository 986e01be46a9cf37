import { hash } from 'node:crypto';
import { isLoopbackUrl } from '../../src-shared/domain/loopbackUrl.ts';
import type { ProviderConfig } from '../../src-shared/domain/provider.ts';
import type { AttemptEgress, ChatMessage, ChatRequest } from '../modelCall/modelCallTypes.ts';
import { keysOutOfAnswer } from '../secrets/keysOutOfAnswer.ts';
import { mapSchemaTexts } from '../secrets/mapSchemaTexts.ts';
import { knownSecrets } from '../secrets/knownSecrets.ts';
import { PromptRedaction, type RedactionRules } from '../secrets/PromptRedaction.ts';
import { scrubKnownSecrets } from '../secrets/scrubSecrets.ts';

export interface RedactedCall {
  messages: ChatMessage[];
  /** A structured call's schema as it leaves: its descriptions, titles and allowed values guarded as the messages are. */
  schema?: ChatRequest['schema'];
  /** Puts the values back into the streamed answer and takes the app's keys out of it; absent when there is nothing to do. */
  restorer?: { push(chunk: string): string; end(): string };
  /** For a target off this machine: what leaves it, for the audit trail (the answer's size is added when it is known). */
  egress?: Omit<AttemptEgress, 'bytesReceived'>;
}

/** The size and hash of what a cloud target is sent (as sent: after the privacy guard), and what the guard took out. */
function egressOf(messages: ChatMessage[], redactions: Record<string, number>): Omit<AttemptEgress, 'bytesReceived'> {
  const text = JSON.stringify(messages);
  return { bytesSent: Buffer.byteLength(text, 'utf8'), promptSha256: hash('sha256', text), redactions };
}

/**
 * Whether what is sent to a provider leaves this machine: a cloud provider, or one the user marked
 * local whose address is elsewhere (a server on the LAN: "what leaves this machine" lists it too).
 */
export function leavesThisMachine(config: Pick<ProviderConfig, 'location' | 'baseUrl'>): boolean {
  if (config.location === 'cloud') return true;
  const url = config.baseUrl?.trim();
  return url !== undefined && url !== '' && !isLoopbackUrl(url);
}

/**
 * One attempt: on a cloud target the messages as they leave the machine (with the privacy guard
 * on, PromptRedaction's placeholders), the restorer for the answer, and what left for the audit
 * trail; local targets get the messages as they are, except one whose server is not on this
 * machine: the app's own keys are taken out and what left is recorded (the guard is for cloud
 * targets; the audit trail records every request that left). On any target, the keys this
 * process holds are taken out of the answer (keysOutOfAnswer): a server that echoes one back
 * gets it stored nowhere.
 */
export function redactForTarget(messages: ChatMessage[], config: Pick<ProviderConfig, 'location' | 'baseUrl'>, rules: RedactionRules | undefined, schema?: ChatRequest['schema']): RedactedCall {
  // Off this machine, a server marked local gets no privacy guard (the user trusts it as local), but the app's own keys are taken out as for a cloud one.
  const call = config.location === 'cloud' ? guarded(messages, rules, schema) : leavesThisMachine(config) ? guarded(messages, undefined, schema) : { messages, schema };
  const secrets = knownSecrets.values();
  return secrets.length === 0 ? call : { ...call, restorer: keysOutOfAnswer(secrets, call.restorer) };
}

function guarded(messages: ChatMessage[], rules: RedactionRules | undefined, schema: ChatRequest['schema']): RedactedCall {
  // The schema's texts (descriptions, allowed values) leave with the messages, so they are guarded too.
  const schemaTexts: string[] = [];
  if (schema) mapSchemaTexts(schema.jsonSchema, (text) => (schemaTexts.push(text), text));
  const texts = [...messages.map((message) => message.content), ...schemaTexts];
  // The guard off still takes the app's own keys out: one provider's key is never sent to another
  // in a prompt. A prompt holding none of them (nearly every one; scrubKnownSecrets rules most
  // texts out at once) is sent as it is, without a guard made for it.
  if (rules === undefined) {
    const secrets = knownSecrets.values();
    if (secrets.length === 0 || texts.every((text) => scrubKnownSecrets(text, secrets) === text)) return { messages, schema, egress: egressOf(messages, {}) };
  }
  const guard = new PromptRedaction(rules ?? { kinds: [] });
  guard.reserve(texts);
  const redacted = messages.map((message) => ({ ...message, content: guard.redact(message.content) }));
  const sentSchema = schema && schemaTexts.length > 0 ? { ...schema, jsonSchema: mapSchemaTexts(schema.jsonSchema, (text) => guard.redact(text)) } : schema;
  if (!guard.redacted) return { messages, schema, egress: egressOf(messages, {}) };
  return { messages: redacted, schema: sentSchema, restorer: guard.restorer(), egress: egressOf(redacted, { ...guard.counts }) };
}
