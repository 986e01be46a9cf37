import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultParseJunitLimits, parseJunit } from '../../../src-main/sandbox/parseJunit.ts';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseJunit', () => {
  it('reads a real pytest report: passes, failures, setup errors, skips and xfails, classes', () => {
    const { cases, droppedCases } = parseJunit(fixture('pytest-junit.xml'));
    expect(droppedCases).toBe(0);
    expect(cases.map((testCase) => [testCase.name, testCase.status])).toEqual([
      ['tests.test_sample::test_adds', 'passed'],
      ['tests.test_sample::test_fails_with_message', 'failed'],
      ['tests.test_sample::test_setup_error', 'error'],
      ['tests.test_sample::test_skipped', 'skipped'],
      ['tests.test_sample::test_expected_failure', 'skipped'],
      ['tests.test_sample.TestGroup::test_in_class', 'passed'],
      ['tests.test_sample.TestGroup::test_prints_then_fails', 'failed'],
    ]);
    const failed = cases[1]!;
    // Entities (&lt; &amp; &quot;) and character references (&#10;) are decoded.
    expect(failed.message).toBe('AssertionError: expected 5 but got <4> & "more"\nassert 4 == 5\n +  where 4 = add(2, 2)');
    expect(failed.details).toContain('>       assert add(2, 2) == 5');
    expect(failed.details).toMatch(/tests\/test_sample\.py:10: AssertionError$/);
    expect(failed).toMatchObject({ classname: 'tests.test_sample', durationMs: 1 });
    expect(cases[2]?.message).toBe('failed on setup with "RuntimeError: fixture exploded: café ✓"');
    expect(cases[3]).toMatchObject({ message: 'not on this platform', details: expect.stringContaining('not on this platform') });
    expect(cases[4]).toMatchObject({ message: 'known bug' });
    expect(cases[4]?.details).toBeUndefined();
    expect(cases[6]?.message).toBe('ValueError: bad value\nsecond line');
  });

  it('reads a real node --test report: nested describe suites, file, skip and todo', () => {
    const { cases } = parseJunit(fixture('node-test-junit.xml'));
    expect(cases.map((testCase) => [testCase.name, testCase.status])).toEqual([
      ['test::adds', 'passed'],
      ['test::fails with message', 'failed'],
      ['test::skipped', 'skipped'],
      ['test::todo', 'skipped'],
      ['group::nested passes', 'passed'],
      ['group::nested throws', 'failed'],
      ['group.inner::deep', 'passed'],
    ]);
    expect(cases[0]).toMatchObject({ file: '/tmp/sc-samples/node/sample.test.mjs', durationMs: 1.125 });
    expect(cases[1]?.message).toBe('expected 5 but got <4> & &quot;more&quot;\n\n4 !== 5');
    expect(cases[1]?.details).toContain("code: 'ERR_ASSERTION'");
    expect(cases[3]?.message).toBe('later');
    expect(cases[5]?.message).toBe('bad value\nsecond line café ✓');
  });

  it('reads the generic shape: a single testsuite, failure and error without attributes, CDATA', () => {
    const { cases } = parseJunit(`<?xml version="1.0"?>
      <!-- made by hand -->
      <testsuite name="suite" file="spec/a.rb">
        <testcase name="one" classname="A" time="0.25"/>
        <testcase name="two"><failure>boom &amp; bust</failure></testcase>
        <testcase name="three"><error type="NameError"><![CDATA[trace <here>]]></error></testcase>
        <testcase name="four"><skipped/></testcase>
        <testcase name="five"><system-out>noise</system-out></testcase>
      </testsuite>`);
    expect(cases).toEqual([
      { name: 'A::one', classname: 'A', file: 'spec/a.rb', status: 'passed', durationMs: 250 },
      { name: 'two', file: 'spec/a.rb', status: 'failed', durationMs: 0, details: 'boom & bust' },
      { name: 'three', file: 'spec/a.rb', status: 'error', durationMs: 0, message: 'NameError', details: 'trace <here>' },
      { name: 'four', file: 'spec/a.rb', status: 'skipped', durationMs: 0 },
      { name: 'five', file: 'spec/a.rb', status: 'passed', durationMs: 0 },
    ]);
  });

  it('treats a bad or negative time as 0 and keeps odd names as plain text', () => {
    const { cases } = parseJunit('<testsuites><testsuite><testcase name="a" time="abc"/><testcase name="__proto__" classname="constructor" time="-1"/></testsuite></testsuites>');
    expect(cases).toEqual([
      { name: 'a', status: 'passed', durationMs: 0 },
      { name: 'constructor::__proto__', classname: 'constructor', status: 'passed', durationMs: 0 },
    ]);
  });

  it('returns no cases for an empty suite', () => {
    expect(parseJunit('<testsuites><testsuite name="pytest" tests="0"/></testsuites>')).toEqual({ cases: [], droppedCases: 0 });
  });

  it('caps messages, details and names, saying how much was cut', () => {
    const limits = { ...defaultParseJunitLimits, maxMessageChars: 10, maxDetailsChars: 20, maxNameChars: 8 };
    const { cases } = parseJunit(`<testsuite><testcase name="${'n'.repeat(30)}"><failure message="${'m'.repeat(50)}">${'d'.repeat(100)}</failure></testcase></testsuite>`, limits);
    expect(cases[0]).toMatchObject({ name: `${'n'.repeat(8)}… [22 more characters cut]`, message: `${'m'.repeat(10)}… [40 more characters cut]`, details: `${'d'.repeat(20)}… [80 more characters cut]` });
  });

  it('keeps at most maxCases cases and counts the rest', () => {
    const xml = `<testsuite>${'<testcase name="x"/>'.repeat(25)}</testsuite>`;
    const parsed = parseJunit(xml, { ...defaultParseJunitLimits, maxCases: 10 });
    expect(parsed.cases).toHaveLength(10);
    expect(parsed.droppedCases).toBe(15);
  });

  describe('hostile or broken reports', () => {
    const refusal = (xml: string, limits = defaultParseJunitLimits) => {
      try {
        parseJunit(xml, limits);
      } catch (error) {
        expect(error).toMatchObject({ code: 'INVALID_OUTPUT' });
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };

    it('refuses a DOCTYPE, so no entity expansion (billion laughs) and no external entities', () => {
      const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('')}]><testsuite><testcase name="&lol9;"/></testsuite>`;
      expect(refusal(laughs)).toBe('The JUnit report has a DOCTYPE declaration, which JUnit reports never need; refused');
      expect(refusal('<!-- c --><!DOCTYPE x SYSTEM "file:///etc/passwd"><testsuite><testcase name="&x;"/></testsuite>')).toMatch(/DOCTYPE/);
    });

    it('does not mistake DOCTYPE text inside the report for a declaration', () => {
      const { cases } = parseJunit('<testsuite><testcase name="a"><failure><![CDATA[<!DOCTYPE html>]]></failure></testcase></testsuite>');
      expect(cases[0]?.details).toBe('<!DOCTYPE html>');
    });

    it('refuses a report over the size limit before parsing it', () => {
      expect(refusal(`<testsuite>${' '.repeat(200)}</testsuite>`, { ...defaultParseJunitLimits, maxReportChars: 100 })).toBe('The JUnit report is 223 characters; the limit is 100');
    });

    it('refuses deep nesting without recursing', () => {
      expect(refusal(`<testsuites>${'<testsuite>'.repeat(100_000)}${'</testsuite>'.repeat(100_000)}</testsuites>`)).toMatch(/not well-formed XML: Maximum nested tags exceeded/);
    });

    it('refuses a report cut short, which must not read as a pass', () => {
      expect(refusal('<testsuite><testcase name="a"><failure message="x">trace')).toMatch(/^The JUnit report is not well-formed XML: .*\(line 1, column \d+\)$/);
      expect(refusal('<testsuite><testcase name="a"></testsuite>')).toMatch(/Expected closing tag 'testcase'/);
    });

    it('refuses text that is not a JUnit report', () => {
      expect(refusal('')).toMatch(/no <testsuites> or <testsuite> element|not well-formed/);
      expect(refusal('PASSED 3 tests')).toMatch(/not well-formed/);
      expect(refusal('<html><body>hi</body></html>')).toBe('The JUnit report has no <testsuites> or <testsuite> element');
    });

    it('parses a large report in bounded time', () => {
      const started = performance.now();
      const { cases, droppedCases } = parseJunit(`<testsuite>${'<testcase name="x" classname="c" time="0.001"/>'.repeat(50_000)}</testsuite>`);
      expect(cases).toHaveLength(10_000);
      expect(droppedCases).toBe(40_000);
      expect(performance.now() - started).toBeLessThan(5_000);
    });
  });
});
