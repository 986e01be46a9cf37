import type { Migration } from '../Migration.ts';

/**
 * Each attempt keeps the version of the prompt template its call was made from (`name@version#hash`,
 * the hash of the template's text): which template text a call used is read from the attempts,
 * as it is from plans, file versions and interview turns. Calls made before are left without one.
 */
export const migration0017: Migration = {
  version: 17,
  name: 'attempts-prompt-version',
  up(db) {
    db.exec('ALTER TABLE attempts ADD COLUMN prompt_version TEXT');
  },
};
