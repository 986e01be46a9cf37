import { describe, expect, it } from 'vitest';
import { languageOfPath } from '../../../../src-main/pipeline/validate/languageOfPath.ts';

describe('languageOfPath', () => {
  it.each([
    ['Dockerfile', 'dockerfile'],
    ['docker/Dockerfile.dev', 'dockerfile'],
    ['api.Dockerfile', 'dockerfile'],
    ['app/main.py', 'python'],
    ['src/index.ts', 'typescript'],
    ['src/App.tsx', 'typescript'],
    ['src/index.js', 'javascript'],
    ['vite.config.mjs', 'javascript'],
    ['.eslintrc.cjs', 'javascript'],
    ['package.json', 'json'],
    ['.github/workflows/ci.yml', 'yaml'],
    ['compose.yaml', 'yaml'],
    ['pyproject.toml', 'toml'],
    ['scripts/run.sh', 'bash'],
    ['README.md', 'markdown'],
    ['pytest.ini', 'ini'],
    ['setup.cfg', 'ini'],
    ['db/schema.sql', 'sql'],
    ['requirements.txt', 'text'],
    ['.gitignore', 'text'],
    ['Makefile', 'text'],
  ] as const)('%s → %s', (path, language) => {
    expect(languageOfPath(path)).toBe(language);
  });
});
