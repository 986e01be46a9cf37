import type { Plan } from '../../src-shared/pipeline/plan.ts';
import type { FakeStep } from './fakes/fakeServerBase.ts';

interface ChatBody {
  messages?: { role: string; content: unknown }[];
}

function text(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: { text?: string }) => part.text ?? '').join('');
  return '';
}

/** What a pipeline request asks for: read from the prompt's fixed sentences (resources/prompts). */
export type FixerAsk =
  | { kind: 'plan' }
  | { kind: 'review' }
  | { kind: 'docs'; path: string }
  | { kind: 'generate'; path: string }
  /** `problems`: the lines of a fix prompt's problems block (a check's findings); absent in a repair prompt (test output). */
  | { kind: 'fix'; path: string; problems?: string[]; content?: string }
  | { kind: 'other' };

/** A `<<<DATA label` block of the prompt (src-main/prompts/dataBlock.ts), when it has one. */
function block(user: string, label: string): string | undefined {
  return new RegExp(`<<<DATA ${label}\\n([\\s\\S]*?)\\nDATA>>>`).exec(user)?.[1];
}

export function classifyFixerRequest(body: unknown): FixerAsk {
  const messages = (body as ChatBody | undefined)?.messages ?? [];
  const system = text(messages.find((message) => message.role === 'system')?.content);
  const user = messages
    .filter((message) => message.role === 'user')
    .map((message) => text(message.content))
    .join('\n');
  if (system.startsWith('You are the lead engineer planning')) return { kind: 'plan' };
  if (system.startsWith('You review')) return { kind: 'review' };
  if (system.startsWith('You write the documentation')) return { kind: 'docs', path: /Write (\S+): /.exec(user)?.[1] ?? '' };
  // Fix prompts (generation fixes, cross-file findings, repair rounds) all end with this sentence.
  const fix = [...user.matchAll(/Write the complete corrected content of (\S+?) now\./g)].at(-1)?.[1];
  if (fix !== undefined) {
    const problems = block(user, 'problems')
      ?.split('\n')
      .filter((line) => line.trim() !== '');
    const content = block(user, 'content');
    return { kind: 'fix', path: fix, ...(problems ? { problems } : {}), ...(content !== undefined ? { content } : {}) };
  }
  const generate = [...user.matchAll(/Write the complete content of (\S+?) now\./g)].at(-1)?.[1];
  if (generate !== undefined) return { kind: 'generate', path: generate };
  if (system.startsWith('You fix one file')) return { kind: 'fix', path: /The file (\S+) \(/.exec(user)?.[1] ?? '' };
  return { kind: 'other' };
}

export interface PerfectFixer {
  respond: (body: unknown) => FakeStep | undefined;
  /** Requests by kind and path: `generate:app/main.py`, `fix:app/main.py`, `plan`, `review`, `docs:README.md`. */
  count(key: string): number;
  /** Every fix request in order, by path. */
  readonly fixes: string[];
  /** Requests it could not read (a prompt format this fixer does not know). */
  readonly unknown: number;
  /** Fix prompts answered with the file as it was, because every problem they listed was a false alarm. */
  readonly unchanged: string[];
}

/**
 * The scripted model of the defect corpus: the plan, the first draft of each file (the defective
 * version for the one defective path, the good one for the rest), and for EVERY fix prompt the
 * good version of the file it asks about: a perfect fixer, so what ends broken is the pipeline's
 * doing (a defect it never asked about), never the model's. Only a prompt that lists nothing but
 * known false alarms gets the file back unchanged (see `falseAlarms`). The review finds nothing.
 */
export function perfectFixer(script: {
  plan: Plan;
  good: Record<string, string>;
  drafts: Record<string, string>;
  /**
   * Findings the checks also report on the good project (`path\nmessage`). A fix prompt for a
   * drafted file that lists only these gets the file back as the prompt shows it: told only about
   * a false alarm, a model has nothing to go on to find the real defect (nor to undo its fix), so
   * the fixer neither finds it by luck nor reverts it.
   */
  falseAlarms?: ReadonlySet<string>;
}): PerfectFixer {
  const counts = new Map<string, number>();
  const fixes: string[] = [];
  const unchanged: string[] = [];
  const onlyFalseAlarms = (path: string, problems: string[] | undefined): boolean => {
    if (problems === undefined || problems.length === 0 || script.falseAlarms === undefined) return false;
    const known = [...script.falseAlarms].filter((alarm) => alarm.startsWith(`${path}\n`)).map((alarm) => alarm.slice(path.length + 1));
    return problems.every((line) => known.some((message) => line.includes(message)));
  };
  let unknown = 0;
  const bump = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const file = (path: string, content: string | undefined): FakeStep =>
    content === undefined ? { status: 400, body: { error: { message: `the corpus has no file ${path}` } } } : { reply: content, chunks: 2 };
  return {
    fixes,
    unchanged,
    get unknown() {
      return unknown;
    },
    count: (key) => counts.get(key) ?? 0,
    respond(body) {
      const ask = classifyFixerRequest(body);
      switch (ask.kind) {
        case 'plan':
          bump('plan');
          return { reply: { json: script.plan } };
        case 'review':
          bump('review');
          return { reply: { json: { issues: [] } } };
        case 'docs':
          bump(`docs:${ask.path}`);
          return { reply: `# ${ask.path.replace(/\.md$/, '')}\n\nThe firewall rule service: its API and how to run it.\n` };
        case 'generate':
          bump(`generate:${ask.path}`);
          return file(ask.path, script.drafts[ask.path] ?? script.good[ask.path]);
        case 'fix':
          bump(`fix:${ask.path}`);
          fixes.push(ask.path);
          if (script.drafts[ask.path] !== undefined && onlyFalseAlarms(ask.path, ask.problems)) {
            unchanged.push(ask.path);
            return file(ask.path, ask.content ?? script.drafts[ask.path]);
          }
          return file(ask.path, script.good[ask.path]);
        default:
          unknown += 1;
          return { status: 400, body: { error: { message: 'the perfect fixer cannot read this request' } } };
      }
    },
  };
}
