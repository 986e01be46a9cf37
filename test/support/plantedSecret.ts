import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * A key planted by leak tests: put it in the keychain/env, run the feature, then check that it
 * shows up in no file, log, response or error. Random per test run, so a match is never a fluke.
 */
export const plantedSecret = `sk-planted-${randomBytes(16).toString('hex')}`;

/**
 * The byte patterns a secret can take on disk: UTF-8 (text, JSON, SQLite's default encoding and
 * its WAL), UTF-16LE (SQLite databases created as UTF-16, Windows tools) and base64 at each of the
 * three alignments (a secret embedded in a longer base64 blob).
 */
export function secretNeedles(secret: string): { form: string; bytes: Buffer }[] {
  const utf8 = Buffer.from(secret, 'utf8');
  const needles = [
    { form: 'utf-8', bytes: utf8 },
    { form: 'utf-16le', bytes: Buffer.from(secret, 'utf16le') },
  ];
  for (let offset = 0; offset < 3; offset++) {
    // Bytes starting at a 3-byte boundary of the surrounding data encode the same way wherever
    // the secret sits; shift by the 0, 1 or 2 bytes before it and drop the partial tail.
    const aligned = utf8.subarray((3 - offset) % 3);
    const whole = aligned.subarray(0, aligned.length - (aligned.length % 3));
    if (whole.length >= 12) needles.push({ form: `base64 (alignment ${offset})`, bytes: Buffer.from(whole.toString('base64'), 'latin1') });
  }
  return needles;
}

export interface SecretHit {
  /** Path relative to the scanned folder. */
  file: string;
  form: string;
  offset: number;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
    // Symlinks are not followed: they point outside the folder under test or back into it.
  }
}

/** Every place the secret occurs in any file under `dir` (all files, read as bytes). */
export function findSecretInFiles(dir: string, secret: string = plantedSecret): SecretHit[] {
  if (secret.length < 8) throw new Error('findSecretInFiles: the secret must be at least 8 characters, or matches mean nothing');
  const needles = secretNeedles(secret);
  const hits: SecretHit[] = [];
  const paths = lstatSync(dir).isDirectory() ? [...walk(dir)] : [dir];
  for (const path of paths) {
    const content = readFileSync(path);
    for (const needle of needles) {
      const offset = content.indexOf(needle.bytes);
      if (offset !== -1) hits.push({ file: relative(dir, path) || path, form: needle.form, offset });
    }
  }
  return hits;
}

/**
 * Throws when the secret occurs in any file under `dir`, SQLite databases and their -wal/-shm
 * files included. The error names the files and encodings, never the secret.
 */
export function assertNotInFiles(dir: string, secret: string = plantedSecret): void {
  const hits = findSecretInFiles(dir, secret);
  if (hits.length > 0) {
    const list = hits.map((hit) => `${hit.file} (${hit.form} at byte ${hit.offset})`).join(', ');
    throw new Error(`The planted secret was found in ${hits.length} place(s) under ${dir}: ${list}`);
  }
}
