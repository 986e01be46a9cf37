import type { Plan } from '../../src-shared/pipeline/plan.ts';
import type { FakeStep } from './fakes/fakeServerBase.ts';

/** What a request of the generation pipeline asks for, read from its prompt (resources/prompts). */
export type PipelineAsk =
  | { kind: 'plan' }
  | { kind: 'generate'; path: string }
  | { kind: 'fix'; path: string }
  | { kind: 'review' }
  | { kind: 'docs'; path: string }
  | { kind: 'other' };

interface ChatBody {
  messages?: { role: string; content: unknown }[];
}

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: { text?: string }) => part.text ?? '').join('');
  return '';
}

/** Classifies an OpenAI chat request body by the pipeline prompt it carries. */
export function classifyPipelineRequest(body: unknown): PipelineAsk {
  const messages = (body as ChatBody | undefined)?.messages ?? [];
  const system = text(messages.find((message) => message.role === 'system')?.content);
  const user = messages
    .filter((message) => message.role === 'user')
    .map((message) => text(message.content))
    .join('\n');
  if (system.startsWith('You are the lead engineer planning')) return { kind: 'plan' };
  if (system.startsWith('You fix one file')) return { kind: 'fix', path: /Write the complete corrected content of (\S+) now\./.exec(user)?.[1] ?? '' };
  if (system.startsWith('You write one file')) return { kind: 'generate', path: /Write the complete content of (\S+) now\./.exec(user)?.[1] ?? '' };
  if (system.startsWith('You review how')) return { kind: 'review' };
  if (system.startsWith('You write the documentation')) return { kind: 'docs', path: /Write (\S+): /.exec(user)?.[1] ?? '' };
  return { kind: 'other' };
}

export interface PipelineScript {
  plan: Plan;
  /** Each file's answers in order (first draft, then fix answers); the last one repeats. */
  files: Record<string, string | string[]>;
  /** Review findings (the model's `interface_review` answer), first review only. */
  review?: { path: string; message: string }[];
  /** Docs answers by path; default: a short Markdown document. */
  docs?: Record<string, string>;
  /** Delay before every answer (ms). */
  delayMs?: number;
  /** Token frames per answer (default 4) and the delay between them. */
  chunks?: number;
  chunkDelayMs?: number;
}

export interface PipelineResponder {
  respond: (body: unknown) => FakeStep | undefined;
  /** Requests seen, by kind and path: `generate:app/main.py`, `fix:app/main.py`, `plan`, `review`, `docs:README.md`. */
  counts: Map<string, number>;
  count(key: string): number;
}

/**
 * Answers every pipeline request from a script, whatever order parallel requests arrive in: the
 * plan, each file's content (drafts then fixes), the review and the docs. Unknown paths get a
 * 400 so a wrong prompt shows up as a failure, not as made-up content.
 */
export function pipelineResponder(script: PipelineScript): PipelineResponder {
  const counts = new Map<string, number>();
  const bump = (key: string) => {
    const next = (counts.get(key) ?? 0) + 1;
    counts.set(key, next);
    return next;
  };
  const timing = { ...(script.delayMs !== undefined ? { delayMs: script.delayMs } : {}), chunks: script.chunks ?? 4, ...(script.chunkDelayMs !== undefined ? { chunkDelayMs: script.chunkDelayMs } : {}) };
  const fileAnswer = (path: string): FakeStep => {
    const answers = script.files[path];
    if (answers === undefined) return { status: 400, body: { error: { message: `the script has no file ${path}` } } };
    const list = Array.isArray(answers) ? answers : [answers];
    const asked = (counts.get(`generate:${path}`) ?? 0) + (counts.get(`fix:${path}`) ?? 0);
    return { reply: list[Math.min(asked, list.length) - 1] ?? '', ...timing };
  };
  return {
    counts,
    count: (key) => counts.get(key) ?? 0,
    respond(body) {
      const ask = classifyPipelineRequest(body);
      switch (ask.kind) {
        case 'plan':
          bump('plan');
          return { reply: { json: script.plan }, ...timing };
        case 'generate':
        case 'fix':
          bump(`${ask.kind}:${ask.path}`);
          return fileAnswer(ask.path);
        case 'review':
          return { reply: { json: { issues: bump('review') === 1 ? (script.review ?? []) : [] } }, ...timing };
        case 'docs':
          bump(`docs:${ask.path}`);
          return { reply: script.docs?.[ask.path] ?? `# ${ask.path.replace(/\.md$/, '')}\n\nGenerated documentation for the service.\n`, ...timing };
        default:
          return undefined;
      }
    },
  };
}
