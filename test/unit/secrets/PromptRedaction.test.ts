import { afterEach, describe, expect, it } from 'vitest';
import { knownSecrets } from '../../../src-main/secrets/knownSecrets.ts';
import { PromptRedaction } from '../../../src-main/secrets/PromptRedaction.ts';
import { findRedactable, luhnValid } from '../../../src-main/secrets/redactionPatterns.ts';
import { redactionKinds } from '../../../src-main/secrets/redactionPatterns.ts';

const every = new Set(redactionKinds);
const kindsIn = (text: string) => findRedactable(text, every).map((found) => [found.kind, text.slice(found.start, found.end)]);

describe('what the privacy guard finds', () => {
  it('finds e-mail addresses, phone numbers, IPv4 and IPv6 addresses, card numbers and key-shaped strings', () => {
    const text =
      'Mail ana.lopez+ops@corp.example.com or call +1 (415) 555-0132; the firewall is 10.20.30.40/24 and 2001:db8::8a2e:370:7334; ' +
      'card 4111 1111 1111 1111; key sk-proj-AbCdEf0123456789AbCdEf0123; password = "x9Kq2mWz7Lp4Tn8R".';
    expect(kindsIn(text)).toEqual([
      ['email', 'ana.lopez+ops@corp.example.com'],
      ['phone', '+1 (415) 555-0132'],
      ['ip', '10.20.30.40/24'],
      ['ip', '2001:db8::8a2e:370:7334'],
      ['card', '4111 1111 1111 1111'],
      ['key', 'sk-proj-AbCdEf0123456789AbCdEf0123'],
      ['key', 'x9Kq2mWz7Lp4Tn8R'],
    ]);
  });

  it('finds what hides in other forms: international numbers without separators, an address URL-encoded in a link, an IPv6 address with an IPv4 tail, a bearer token', () => {
    const text = 'Call +14155550132 or +49 30 901820; see https://x.example/?to=ana%40corp.example.com; allow ::ffff:10.1.2.3; Authorization: Bearer abcDEF123456ghiJKL789; write to josé.müller@bücher.example';
    expect(kindsIn(text)).toEqual([
      ['phone', '+14155550132'],
      ['phone', '+49 30 901820'],
      ['email', 'ana%40corp.example.com'],
      ['ip', '::ffff:10.1.2.3'],
      ['key', 'abcDEF123456ghiJKL789'],
      ['email', 'josé.müller@bücher.example'],
    ]);
  });

  it('finds the keys of .env files and code: a secret named in SNAKE_CASE (AWS_SECRET_ACCESS_KEY, DB_PASSWORD, client_secret), and the shapes of Stripe, GitLab, npm, Slack webhook and Google keys', () => {
    const text = [
      'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY2EXAMPLEKEY',
      'DB_PASSWORD=Xk29fLq8Pz',
      'client_secret: "c7Hq2Lm9Xw4Zp8Rt"',
      'SECRET_KEY = "django-insecure-a1b2c3d4e5f6g7h8i9j0"',
      'stripe = Stripe("sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUv")',
      'restricted rk_test_51HxYzAbCdEfGhIjKlMnOpQrStUv',
      'gitlab glpat-AbCdEfGhIjKlMnOpQrSt',
      'npm npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
      'hook https://hooks.slack.com/services/T0A1B2C3D/B0A1B2C3D/AbCdEfGhIjKlMnOpQrStUvWx',
      'google ya29.a0AfH6SMBx3d1234567890abcdefghijklmnop GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12',
    ].join('\n');
    expect(kindsIn(text)).toEqual([
      ['key', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY2EXAMPLEKEY'],
      ['key', 'Xk29fLq8Pz'],
      ['key', 'c7Hq2Lm9Xw4Zp8Rt'],
      ['key', 'django-insecure-a1b2c3d4e5f6g7h8i9j0'],
      ['key', 'sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUv'],
      ['key', 'rk_test_51HxYzAbCdEfGhIjKlMnOpQrStUv'],
      ['key', 'glpat-AbCdEfGhIjKlMnOpQrSt'],
      ['key', 'npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789'],
      ['key', 'https://hooks.slack.com/services/T0A1B2C3D/B0A1B2C3D/AbCdEfGhIjKlMnOpQrStUvWx'],
      ['key', 'ya29.a0AfH6SMBx3d1234567890abcdefghijklmnop'],
      ['key', 'GOCSPX-AbCdEfGhIjKlMnOpQrStUvWxYz12'],
    ]);
    // Named like a secret but plainly not one: a word, a call, a count.
    expect(kindsIn('DB_PASSWORD_FILE=/run/secrets/db\ntoken_count = 12\nGITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}\nsecret_name: "production"')).toEqual([]);
  });

  it('finds the credentials of a Basic Authorization header (a curl example in a spec), and leaves the word "Basic" in prose alone', () => {
    const text = "curl -H 'Authorization: Basic YWRtaW46UzNjcjN0UGFzc3cwcmQ=' https://api.example; Basic introductionToPython is a course";
    expect(kindsIn(text)).toEqual([['key', 'YWRtaW46UzNjcjN0UGFzc3cwcmQ=']]);
  });

  it('finds the password of an address that carries one (a database URL), as a key, whether or not e-mail addresses are looked for', () => {
    const text = 'DATABASE_URL=postgres://admin:S3cr3tPassw0rd@db.internal:5432/app and redis://:hunter2hunter2@cache:6379/0';
    const keysOnly = findRedactable(text, new Set(['key'])).map((found) => [found.kind, text.slice(found.start, found.end)]);
    expect(keysOnly).toEqual([
      ['key', 'S3cr3tPassw0rd'],
      ['key', 'hunter2hunter2'],
    ]);
  });

  it('finds a card number grouped with dots (16 digits, or Amex 4-6-5) with only the card kind asked for, and leaves a decimal and a dotted build number that fails Luhn alone', () => {
    const text = 'pay with 4111.1111.1111.1111 or 3782.822463.10005; pi = 3.14159265358979; build 2024.0115.1030.0001; 4111.1111.1111.1112 fails Luhn';
    expect(findRedactable(text, new Set(['card'])).map((found) => [found.kind, text.slice(found.start, found.end)])).toEqual([
      ['card', '4111.1111.1111.1111'],
      ['card', '3782.822463.10005'],
    ]);
  });

  it('leaves code and everyday numbers alone: dates, versions, C++ and slices, ports, ids, a number that fails Luhn', () => {
    const text =
      'Released 2024-01-15 10:30 as version 1.2.3; call 555-0132; std::string s = a[::2]; listen on port 8080; order 1234567890123 (not a card); ' +
      'time 12:30:45; uuid 123e4567-e89b-12d3-a456-426614174000; token = "not-a-secret-word"';
    expect(kindsIn(text)).toEqual([]);
    expect(luhnValid('1234567890123')).toBe(false);
    expect(luhnValid('4111111111111111')).toBe(true);
  });

  it('only the kinds asked for, and the user\'s terms literally (a term with regex characters is text, not a pattern)', () => {
    const text = 'Project (Falcon*) for ACME Corp at 10.0.0.1 and acme corp.';
    expect(findRedactable(text, new Set(['term']), ['(Falcon*)', 'ACME Corp']).map((found) => text.slice(found.start, found.end))).toEqual(['(Falcon*)', 'ACME Corp', 'acme corp']);
    expect(findRedactable(text, new Set(['email']), [])).toEqual([]);
  });

  it('finds a term of several words however the text spaces them (a line wrapped in a comment, a non-breaking space, a tab), and gives it one placeholder', () => {
    const text = 'Owner: ACME\n   * Corp? No: ACME\u00a0Corp, acme\tcorp and ACME  Corp; not ACMECorp.';
    expect(findRedactable(text, new Set(['term']), ['ACME Corp']).map((found) => text.slice(found.start, found.end))).toEqual(['ACME\u00a0Corp', 'acme\tcorp', 'ACME  Corp']);
    const wrapped = 'A letter for ACME\nCorp and ACME\u00a0Corp.';
    expect(findRedactable(wrapped, new Set(['term']), ['ACME Corp']).map((found) => wrapped.slice(found.start, found.end))).toEqual(['ACME\nCorp', 'ACME\u00a0Corp']);
    const guard = new PromptRedaction({ kinds: [], terms: ['ACME Corp'] });
    expect(guard.redact(wrapped)).toBe('A letter for [TERM_1] and [TERM_1].');
    expect(guard.restore('[TERM_1]')).toBe('ACME\nCorp');
  });

  it('costs linear time on hostile input (no pattern backtracks)', () => {
    const hostile = `${'a.'.repeat(50_000)}@${'1 '.repeat(50_000)}${'f:'.repeat(50_000)}${'x'.repeat(50_000)}`;
    const started = performance.now();
    findRedactable(hostile, every, ['term']);
    // Not a timing test of speed: a backtracking pattern takes minutes here, a linear one well under the limit.
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('costs linear time on a text holding very many values (a customer list in a data file): each overlap is not checked against every value kept', () => {
    // 100 000 addresses (about 800 kB): the overlap check against every kept value took over a minute, the process frozen.
    const list = Array.from({ length: 100_000 }, (_, i) => `u${i}@b.io`).join('\n');
    const started = performance.now();
    const found = findRedactable(list, every);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(found).toHaveLength(100_000);
    expect(found.every((value) => value.kind === 'email')).toBe(true);
  });

  it('a text holding more values of one kind than a call takes arguments is searched, not failed with a stack overflow', () => {
    const found = findRedactable('10.0.0.1\n'.repeat(200_000), every);
    expect(found).toHaveLength(200_000);
    expect(new PromptRedaction().redact('10.0.0.1 '.repeat(200_000)).startsWith('[IP_1] [IP_1] ')).toBe(true);
  });
});

describe('a redacted call, round trip', () => {
  afterEach(() => knownSecrets.clear());

  it('the same value gets the same placeholder in every message; the answer gets the values back', () => {
    const guard = new PromptRedaction();
    const system = 'Contact ops@corp.example for 10.1.2.3.';
    const user = 'Write a rule that allows 10.1.2.3 and mails ops@corp.example and OPS@corp.example.';
    guard.reserve([system, user]);
    expect(guard.redact(system)).toBe('Contact [EMAIL_1] for [IP_1].');
    expect(guard.redact(user)).toBe('Write a rule that allows [IP_1] and mails [EMAIL_1] and [EMAIL_1].');
    expect(guard.counts).toEqual({ email: 1, ip: 1 });
    expect(guard.restore('allow [IP_1]; notify [EMAIL_1]; [PHONE_7] is not ours')).toBe('allow 10.1.2.3; notify ops@corp.example; [PHONE_7] is not ours');
  });

  it('a stream restores placeholders cut anywhere between chunks', () => {
    const guard = new PromptRedaction();
    guard.redact('Block 192.168.7.7 and 10.0.0.9.');
    const answer = 'deny [IP_1]; deny [IP_2] [not a placeholder] x[';
    for (let cut = 0; cut <= answer.length; cut += 1) {
      for (let second = cut; second <= answer.length; second += 1) {
        const restorer = guard.restorer();
        const out = restorer.push(answer.slice(0, cut)) + restorer.push(answer.slice(cut, second)) + restorer.push(answer.slice(second)) + restorer.end();
        expect(out).toBe('deny 192.168.7.7; deny 10.0.0.9 [not a placeholder] x[');
      }
    }
  });

  it('restores placeholders a model wrote back in another case, with its underscore escaped for Markdown or with spaces, also cut between chunks', () => {
    const guard = new PromptRedaction();
    guard.reserve(['Mail ana@corp.example from 10.0.0.9.']);
    expect(guard.redact('Mail ana@corp.example from 10.0.0.9.')).toBe('Mail [EMAIL_1] from [IP_1].');
    const answer = 'to [Email_1], from [IP\\_1], cc [ email_1 ], not [EMAIL_2]';
    const restored = 'to ana@corp.example, from 10.0.0.9, cc ana@corp.example, not [EMAIL_2]';
    expect(guard.restore(answer)).toBe(restored);
    for (let cut = 0; cut <= answer.length; cut += 1) {
      const restorer = guard.restorer();
      expect(restorer.push(answer.slice(0, cut)) + restorer.push(answer.slice(cut)) + restorer.end()).toBe(restored);
    }
  });

  it('escapes a value put back inside a string of a JSON answer, at any cut of the stream; prose and code outside a JSON document get it as it is', () => {
    const guard = new PromptRedaction({ kinds: [], terms: ['CORP\\jdoe', 'ACME "Corp"'] });
    guard.redact('CORP\\jdoe of ACME "Corp"');
    const json = ' {"owner": "[TERM_1]", "list": ["[TERM_2]", "a \\" [TERM_1]"], "raw": 1}';
    const expected = { owner: 'CORP\\jdoe', list: ['ACME "Corp"', 'a " CORP\\jdoe'], raw: 1 };
    expect(JSON.parse(guard.restore(json))).toEqual(expected);
    for (let cut = 0; cut <= json.length; cut += 1) {
      const restorer = guard.restorer();
      expect(JSON.parse(restorer.push(json.slice(0, cut)) + restorer.push(json.slice(cut)) + restorer.end())).toEqual(expected);
    }
    expect(guard.restore('[TERM_1] said "[TERM_2]"')).toBe('CORP\\jdoe said "ACME "Corp""');
    expect(guard.restore('user = "[TERM_1]"')).toBe('user = "CORP\\jdoe"');
  });

  it('a JSON answer the model wrapped in a ```json fence anyway (chatStructured takes it out) gets values escaped as JSON too, at any cut of the stream; another fence gets them as they are', () => {
    const guard = new PromptRedaction({ kinds: ['key'], terms: ['CORP\\jdoe', 'ACME "Corp"'] });
    guard.redact('CORP\\jdoe of ACME "Corp" signs with -----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----');
    const expected = { owner: 'CORP\\jdoe', note: 'for ACME "Corp" only', key: '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----' };
    for (const opener of ['```json', '```', '  ```JSON ']) {
      const fenced = `${opener}\n{"owner": "[TERM_1]", "note": "for [TERM_2] only", "key": "[KEY_1]"}\n\`\`\``;
      const unfenced = (text: string): unknown => JSON.parse(text.trim().replace(/^```[^\n]*\n/, '').replace(/\n```$/, ''));
      expect(unfenced(guard.restore(fenced))).toEqual(expected);
      for (let cut = 0; cut <= fenced.length; cut += 1) {
        const restorer = guard.restorer();
        expect(unfenced(restorer.push(fenced.slice(0, cut)) + restorer.push(fenced.slice(cut)) + restorer.end())).toEqual(expected);
      }
    }
    expect(guard.restore('```python\nowner = "[TERM_1]"\n```')).toBe('```python\nowner = "CORP\\jdoe"\n```');
  });

  it('a prompt that holds a placeholder in another case or form gets placeholders of another form too', () => {
    const guard = new PromptRedaction();
    const user = 'Keep [email_1] and [IP\\_1] as they are; mail ana@corp.example.';
    guard.reserve([user]);
    expect(guard.redact(user)).toBe('Keep [email_1] and [IP\\_1] as they are; mail [EMAIL_1a].');
    expect(guard.restore('[email_1] [IP\\_1] [Email_1A]')).toBe('[email_1] [IP\\_1] ana@corp.example');
  });

  it('a prompt that already holds placeholder-shaped text gets placeholders of another form, so restoring never changes the user\'s own text', () => {
    const guard = new PromptRedaction();
    const user = 'The template says [EMAIL_1]; send it to ana@corp.example.';
    guard.reserve([user]);
    const sent = guard.redact(user);
    expect(sent).toBe('The template says [EMAIL_1]; send it to [EMAIL_1a].');
    expect(guard.restore('Reply: [EMAIL_1] goes to [EMAIL_1a]')).toBe('Reply: [EMAIL_1] goes to ana@corp.example');
  });

  it('a prompt that holds placeholder-shaped text with every one-letter suffix (a template engine\'s own list) gets a two-letter form, never one of its own texts', () => {
    const own = ['[EMAIL_1]', ...'abcdefghijklmnopqrstuvwxyz'.split('').map((letter) => `[EMAIL_1${letter}]`)].join(' ');
    const user = `The engine's placeholders: ${own}. Mail ana@corp.example.`;
    const guard = new PromptRedaction({ kinds: ['email'] });
    guard.reserve([user]);
    expect(guard.redact(user)).toBe(`The engine's placeholders: ${own}. Mail [EMAIL_1aa].`);
    const answer = 'It lists [EMAIL_1z] and [EMAIL_1]; mail [EMAIL_1aa], or [Email\\_1AA ].';
    const restored = 'It lists [EMAIL_1z] and [EMAIL_1]; mail ana@corp.example, or ana@corp.example.';
    expect(guard.restore(answer)).toBe(restored);
    for (let cut = 0; cut <= answer.length; cut += 1) {
      const restorer = guard.restorer();
      expect(restorer.push(answer.slice(0, cut)) + restorer.push(answer.slice(cut)) + restorer.end()).toBe(restored);
    }
  });

  it('the keys the app holds are always taken out and never put back, even into a local answer', () => {
    const key = 'Zq7RkP2mWx9TfL4nVb8HcJ3d';
    knownSecrets.add(key);
    const guard = new PromptRedaction({ kinds: ['email'] });
    const sent = guard.redact(`use ${key} here`);
    expect(sent).toBe('use [KEY_1] here');
    expect(guard.redacted).toBe(true);
    expect(guard.restore('token = "[KEY_1]"')).toBe('token = "[KEY_1]"');
  });

  it('a key the app holds is taken out also inside a longer word or cut short', () => {
    const key = 'Zq7RkP2mWx9TfL4nVb8HcJ3d';
    knownSecrets.add(key);
    const guard = new PromptRedaction({ kinds: ['email'] });
    const sent = guard.redact(`backup ${key}_old, url ?k=${encodeURIComponent(key)}, start ${key.slice(0, 18)}`);
    expect(sent).not.toContain(key.slice(0, 16));
    expect(guard.redacted).toBe(true);
    expect(guard.counts.key).toBeGreaterThan(0);
  });

  it('nothing to take out leaves the text as it is', () => {
    const guard = new PromptRedaction();
    expect(guard.redact('def add(a: int, b: int) -> int:\n    return a + b\n')).toBe('def add(a: int, b: int) -> int:\n    return a + b\n');
    expect(guard.redacted).toBe(false);
  });
});
