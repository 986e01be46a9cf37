import type { SpecDraft } from '../../src-shared/domain/serviceSpec.ts';
import { slotById, type SlotId } from '../../src-shared/interview/interviewSlots.ts';
import { dataBlock } from '../prompts/dataBlock.ts';
import { loadPrompt, renderPrompt } from '../prompts/loadPrompt.ts';
import type { StoredTurn } from '../store/InterviewRepository.ts';
import type { ChatMessage } from '../modelCall/modelCallTypes.ts';

export interface InterviewPromptInput {
  promptsDir: string;
  spec: SpecDraft;
  /** Earlier turns (not superseded), oldest first. */
  turns: readonly StoredTurn[];
  openFields: readonly SlotId[];
  /** The vague answer to follow up on, if the last answer was one. */
  followUp?: StoredTurn | undefined;
  progress: { step: number; totalSteps: number };
}

/**
 * The messages of one interview turn from `resources/prompts/interview.md`. Our instructions go
 * in the system message; everything the user wrote (spec values, answers) goes in the user message
 * inside data blocks. The history is summarised from the stored turns, so a turn costs the same
 * whatever the length of the conversation (small local context windows).
 */
export function buildInterviewPrompt(input: InterviewPromptInput): { messages: ChatMessage[]; version: string } {
  const template = loadPrompt(input.promptsDir, 'interview');
  const openFields = input.openFields
    .map((id) => {
      const slot = slotById(id);
      const options = slot.options(input.spec);
      const fixed = options ? ` Fixed options: ${options.map((option) => JSON.stringify(option.label)).join(', ')}.` : ' Open: propose options.';
      return `- ${id} (${slot.label}, ${slot.questionType === 'multi' ? 'several may be picked' : 'pick one'}): ${slot.describe}.${fixed}`;
    })
    .join('\n');
  const followUp = input.followUp
    ? `The user's last answer about "${slotById(input.followUp.field).label}" could not be used: ${input.followUp.outcome ?? 'it was too vague'} Ask a follow-up question about the field "${input.followUp.field}" that helps them answer precisely.`
    : '';
  const answers = input.turns
    .filter((turn) => turn.answer)
    .map((turn) => {
      const answer = turn.answer ?? { selected: [], text: '' };
      const given = [...answer.selected, ...(answer.text.trim() !== '' ? [answer.text.trim()] : [])].join('; ');
      return `Q (${turn.field}): ${turn.question}\nA: ${given}`;
    })
    .join('\n\n');
  const system = renderPrompt(template.system, { openFields, followUp });
  const user = renderPrompt(template.user ?? '', {
    step: String(input.progress.step),
    totalSteps: String(input.progress.totalSteps),
    specBlock: dataBlock('spec', JSON.stringify(input.spec, null, 2)),
    answersBlock: answers === '' ? '(none yet)' : dataBlock('answers', answers),
  });
  return {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
    version: template.id,
  };
}
