import type { InputIssue } from './envelope.ts';
import { fieldLabel } from './fieldLabels.ts';

const count = (value: number) => value.toLocaleString('en-US');

const asSentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

/** "a", "a or b", "a, b or c": the values as typed. */
function listed(values: readonly (string | number | boolean | null)[]): string {
  const shown = values.map((value) => String(value));
  return shown.length <= 1 ? (shown[0] ?? '') : `${shown.slice(0, -1).join(', ')} or ${shown.at(-1)}`;
}

/** One refused field in a sentence, by its label and the kind of problem (zod's issue code), never zod's own text. */
function issueSentence(issue: InputIssue, choices: boolean): string {
  const label = fieldLabel(issue.path);
  const subject = label ?? 'The input';
  const unit = issue.origin === 'array' || issue.origin === 'set' ? 'entries' : 'characters';
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'number' || issue.origin === 'bigint') return `${subject} must be at least ${count(issue.minimum ?? 0)}.`;
      if ((issue.minimum ?? 1) <= 1) return issue.origin === 'array' ? `${subject} needs at least one entry.` : `${subject} cannot be empty.`;
      return `${subject} needs at least ${count(issue.minimum ?? 1)} ${unit}.`;
    case 'too_big':
      if (issue.origin === 'number' || issue.origin === 'bigint') return `${subject} can be at most ${count(issue.maximum ?? 0)}.`;
      return `${subject} can have at most ${count(issue.maximum ?? 0)} ${unit}.`;
    case 'invalid_format':
      if (issue.format === 'url') return `${subject} must be a web address, such as http://localhost:8080.`;
      // A pattern's own sentence ("A provider id is 1-40 lowercase letters…") says more than "not in the expected form".
      if (issue.worded) return asSentence(issue.message);
      return `${subject} is not in the expected form.`;
    case 'invalid_type':
      return label === null ? 'Something the app sent is missing or of the wrong kind.' : `${subject} is missing or not valid.`;
    case 'invalid_value':
      return choices && issue.values !== undefined && issue.values.length > 0 ? `${subject} is not one of the choices: ${listed(issue.values)}.` : `${subject} is not one of the choices.`;
    case 'unrecognized_keys':
      return `${subject} has settings this version does not know.`;
    case 'custom':
      // A refinement's message is written for people (see the schemas); it already says which field.
      return issue.message;
    default:
      return `${subject} is not valid.`;
  }
}

/**
 * A refused input in words, for the GUI and the CLI alike: each field by the label the forms show
 * and the kind of problem, never the channel, zod's path or its own text. `choices`: a refused
 * choice lists the values allowed (a command line types them; a form shows its own labels).
 */
export function inputIssuesSentence(issues: readonly InputIssue[], options: { choices?: boolean } = {}): string {
  const sentences = [...new Set(issues.map((issue) => issueSentence(issue, options.choices === true)))];
  return sentences.length === 1 ? (sentences[0] ?? '') : `Please check: ${sentences.join(' ')}`;
}
