import type { AttemptRecord } from '../modelCall/modelCallTypes.ts';

/**
 * The attempts of one call as the user reads them in an error ("Tried: …"): each target with
 * what happened in words (the failure's own message: status, cause and what to do), a skipped
 * target with why; identical consecutive tries (retries) are said once with their count.
 */
export function describeAttempts(attempts: readonly AttemptRecord[]): string[] {
  const lines: { text: string; count: number }[] = [];
  for (const attempt of attempts) {
    const text = `${attempt.providerId}/${attempt.model}: ${what(attempt)}`;
    const last = lines.at(-1);
    if (last?.text === text) last.count += 1;
    else lines.push({ text, count: 1 });
  }
  return lines.map(({ text, count }) => (count > 1 ? `${text} (${count} tries)` : text));
}

function what(attempt: AttemptRecord): string {
  switch (attempt.outcome) {
    case 'skipped':
      return `skipped (${attempt.reason})`;
    case 'ok':
      return 'ok';
    case 'error':
    case 'cancelled': {
      // The message starts with the provider id, already said before the colon.
      const message = attempt.message?.replace(new RegExp(`^${escape(attempt.providerId)}: `), '');
      const kind = attempt.errorKind ? ` (${attempt.errorKind})` : '';
      return `${attempt.outcome}${kind}${message ? `: ${message}` : attempt.status !== undefined ? ` ${attempt.status}` : ''}`;
    }
    default:
      return attempt.outcome satisfies never;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
