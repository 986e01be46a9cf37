import type { PlanFile } from '../../src-shared/pipeline/plan.ts';
import { dataBlock } from '../prompts/dataBlock.ts';
import { countTokens } from '../tokens/countTokens.ts';
import type { SourceFile, Validators } from './PipelineContext.ts';

export interface FileContext {
  text: string;
  /** How each dependency was given: its full text, its signatures, or only its planned interface. */
  included: { path: string; as: 'full' | 'signatures' | 'interface' }[];
  tokens: number;
}

/**
 * The context of a file's prompt from the files it depends on, within `budgetTokens` (real token
 * counts): each dependency's full text while it fits, else its exported signatures, else just the
 * interface the plan promised. Contract-first: the planned interface is always there.
 */
export async function buildFileContext(
  file: PlanFile,
  plan: readonly PlanFile[],
  read: (path: string) => SourceFile | undefined,
  validators: Pick<Validators, 'exportedSignatures'>,
  budgetTokens: number,
  /** The target's count where it has one (the gateway's promptBudget). */
  count: (text: string) => number = countTokens,
): Promise<FileContext> {
  const parts: string[] = [];
  const included: FileContext['included'] = [];
  let used = 0;
  for (const path of file.dependsOn) {
    const planned = plan.find((candidate) => candidate.path === path);
    const source = read(path);
    const promised = planned && planned.exports.length > 0 ? `Interface:\n${planned.exports.map((entry) => `- ${entry}`).join('\n')}` : 'Interface: (none listed)';
    const options: { as: 'full' | 'signatures' | 'interface'; text: string }[] = [];
    if (source) {
      options.push({ as: 'full', text: `${promised}\nFull content:\n${dataBlock(path, source.content)}` });
      options.push({ as: 'signatures', text: `${promised}\nIts public surface:\n${dataBlock(path, await validators.exportedSignatures(source))}` });
    }
    options.push({ as: 'interface', text: promised });
    for (const option of options) {
      const text = `### ${path}\n${option.text}`;
      const tokens = count(text);
      if (used + tokens <= budgetTokens || option.as === 'interface') {
        parts.push(text);
        included.push({ path, as: option.as });
        used += tokens;
        break;
      }
    }
  }
  return { text: parts.length > 0 ? `The files it depends on:\n\n${parts.join('\n\n')}` : 'It depends on no other project file.', included, tokens: used };
}
