import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAnswersFile } from '../../../src-main/cli/interview/readAnswersFile.ts';
import { useTempDirs } from '../../support/useTempDirs.ts';

describe('readAnswersFile', () => {
  const tempDir = useTempDirs();
  const write = (content: unknown): string => {
    const file = join(tempDir('sc-answers-'), 'answers.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };
  const refusal = (content: unknown): string => {
    const file = write(content);
    try {
      readAnswersFile(file);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('INVALID_INPUT');
      return (error as Error).message;
    }
    throw new Error('expected the file to be refused');
  };

  it('reads text, a list of option labels and {selected, text} into answers', () => {
    const file = write({ answers: { features: 'NAT, audit log', vendors: ['Cisco ASA'], pricing: { selected: ['Per instance'] }, target: { text: 'fastapi' } } });
    expect(readAnswersFile(file)).toEqual({
      features: { selected: [], text: 'NAT, audit log' },
      vendors: { selected: ['Cisco ASA'], text: '' },
      pricing: { selected: ['Per instance'], text: '' },
      target: { selected: [], text: 'fastapi' },
    });
  });

  it('refuses unknown fields, listing the valid ones', () => {
    const message = refusal({ answers: { colour: 'blue', size: 'L', pricing: 'free' } });
    expect(message).toContain('Unknown fields "colour", "size"');
    expect(message).toContain('serviceType, vendors, features, vendorApi, pricing, observability, target, deployment, testing');
  });

  it('refuses files that are not JSON, not the right shape, or with answers out of bounds', () => {
    expect(refusal('{"answers": ')).toMatch(/is not JSON: /);
    expect(refusal({ pricing: 'free' })).toContain('must be {"answers": {"<field id>": ANSWER}}');
    expect(refusal({ answers: { pricing: 42 } })).toContain('answers.pricing: an answer is free text');
    expect(refusal({ answers: { features: 'x'.repeat(4001) } })).toContain('at most 4,000 characters');
    expect(refusal({ answers: { features: { selected: ['a'], text: 'b', extra: 1 } } })).toContain('answers.features');
    expect(refusal({ answers: { features: Array.from({ length: 31 }, (_, i) => `f${i}`) } })).toContain('At most 30 options');
  });

  it('names the file it cannot read', () => {
    expect(() => readAnswersFile('/nonexistent/answers.json')).toThrow(/Cannot read the answers file \/nonexistent\/answers.json: ENOENT/);
  });
});
