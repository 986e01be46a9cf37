import { describe, expect, it } from 'vitest';
import { createCore } from '../../../src-main/core/createCore.ts';
import { inputIssuesSentence } from '../../../src-shared/inputIssuesSentence.ts';
import { errorSentence } from '../../../src-renderer/ui/errorText.ts';
import { unwrap } from '../../../src-shared/envelope.ts';
import { AppError } from '../../../src-shared/AppError.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

// A refused input said in words by every face: the GUI and the CLI word the same issues (the
// CLI listing a refused choice's values, which is what a command line types).

const tempDir = useTempDirs();

async function refusal(channel: string, input: unknown) {
  const core = createCore({ dataDir: tempDir(), host: 'cli' });
  try {
    const result = await core.dispatch(channel as never, input as never);
    if (result.ok) throw new Error('expected a refusal');
    return result.error;
  } finally {
    core.close();
  }
}

describe('inputIssuesSentence', () => {
  it('a refused choice: the CLI lists the choices as typed; the GUI, whose form shows its own labels, does not', async () => {
    const error = await refusal('settings.set', { privacyMode: 'sometimes' });
    expect(error.message).toContain('settings.set');
    expect(error.issues?.[0]).toMatchObject({ code: 'invalid_value', values: ['local-only', 'local-first', 'cloud-allowed'] });
    expect(inputIssuesSentence(error.issues ?? [], { choices: true })).toBe('Privacy mode is not one of the choices: local-only, local-first or cloud-allowed.');
    expect(errorSentence(error)).toBe('Privacy mode is not one of the choices.');
  });

  it("a pattern the schema words itself is said in the schema's words, not as 'not in the expected form'", async () => {
    const error = await refusal('providers.add', { config: { id: 'Bad_Id', type: 'openai', label: 'x', location: 'local', baseUrl: 'http://127.0.0.1:9/v1', models: [] } });
    expect(error.issues?.[0]).toMatchObject({ path: ['config', 'id'], code: 'invalid_format', worded: true });
    expect(errorSentence(error)).toBe('A provider id is 1-40 lowercase letters, digits or dashes, starting with a letter or digit.');
  });

  it("zod's own text is never taken for the schema's: a bad web address is said by the field's label", async () => {
    const error = await refusal('providers.add', { config: { id: 'p1', type: 'openai', label: 'x', location: 'local', baseUrl: 'not a url', models: [] } });
    const issue = error.issues?.find((each) => each.path.join('.') === 'config.baseUrl');
    expect(issue).toMatchObject({ code: 'invalid_format', format: 'url' });
    expect(issue?.worded).toBeUndefined();
    expect(inputIssuesSentence(error.issues ?? [], { choices: true })).toBe('Base URL must be a web address, such as http://localhost:8080.');
  });

  it('unwrap keeps the issues, so a face catching the thrown error can still word them', async () => {
    const error = await refusal('projects.create', { name: '' });
    let thrown: unknown;
    try {
      unwrap({ ok: false, error });
    } catch (caught) {
      thrown = caught;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).issues).toEqual(error.issues);
    expect(inputIssuesSentence((thrown as AppError).issues ?? [])).toBe('Name cannot be empty.');
  });
});
