import { defineConfig } from 'vitest/config';

// Every test gets one more try. One that passes only on it is counted as passed but named in
// `npm test`'s summary ("Passed only on a retry", scripts/failedTests.ts), so a test made flaky by
// a loaded machine neither hides nor blocks a landing; one that fails twice fails the run.
const retry = 1;

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          retry,
          testTimeout: 15_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          retry,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Integration tests start processes and servers; one file at a time on a 2-core box.
          fileParallelism: false,
        },
      },
      {
        // Needs a running Docker engine and the sandbox image: run under scripts/withDocker.sh (npm run test:docker).
        test: {
          name: 'docker',
          include: ['test/docker/**/*.test.ts'],
          environment: 'node',
          retry,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // Needs a real Secret Service: run under scripts/withKeychain.sh (npm run test:keychain).
        test: {
          name: 'keychain',
          include: ['test/keychain/**/*.test.ts'],
          environment: 'node',
          retry,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
