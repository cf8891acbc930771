import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { renderInvalidSuiteJUnitXml, renderJUnitXml } from '../../../core/image-tests/junit-report.js';
import type { ImageTestReport } from '../../../core/image-tests/run-image-tests.js';

const NASTY = 'a & b < c > d "q" \'s\' ]]> \u0001\u001b[31m \uD800 tab\there\r\nline2 ✓ 😀';

const REPORT: ImageTestReport = {
  image: 'localhost/apps/hello:1',
  passed: false,
  tests: 2,
  failed: 1,
  durationMs: 1234,
  results: [
    {
      kind: 'commandTests',
      id: 'commandTests[0]',
      name: 'greets',
      passed: true,
      failures: [],
      durationMs: 12,
      stdout: 'hi\n',
    },
    {
      kind: 'fileContentTests',
      id: 'fileContentTests[0]',
      name: NASTY,
      passed: false,
      failures: [`expectedContents[0]: ${NASTY}`, 'second failure'],
      durationMs: 7,
      stderr: NASTY,
    },
  ],
};

// Python's expat is a strict XML parser (python3 is one of the packages scripts/bootstrap installs).
function parseWithExpat(xml: string): unknown {
  const script = `
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
def conv(e):
    return {"tag": e.tag, "attrib": e.attrib, "text": e.text, "children": [conv(c) for c in e]}
print(json.dumps(conv(root)))
`;
  return JSON.parse(
    execFileSync('python3', ['-c', script], { input: xml, timeout: 10_000 }).toString('utf8'),
  );
}

interface El {
  tag: string;
  attrib: Record<string, string>;
  text: string | null;
  children: El[];
}

describe('renderJUnitXml', () => {
  it('writes one testsuite with a testcase per test and a failure listing the broken assertions', () => {
    const xml = renderJUnitXml(REPORT, { timestamp: new Date('2026-01-02T03:04:05.678Z') });
    const root = parseWithExpat(xml) as El;
    expect(root.tag).toBe('testsuites');
    expect(root.attrib).toMatchObject({ tests: '2', failures: '1', errors: '0', time: '1.234' });
    const suite = root.children[0] as El;
    expect(suite.attrib).toMatchObject({
      name: 'image tests of localhost/apps/hello:1',
      tests: '2',
      failures: '1',
      timestamp: '2026-01-02T03:04:05',
    });
    const [ok, bad] = suite.children as [El, El];
    expect(ok.attrib).toEqual({ classname: 'commandTests', name: 'commandTests[0] greets', time: '0.012' });
    expect(ok.children.map((c) => [c.tag, c.text])).toEqual([['system-out', 'hi\n']]);
    const visible = 'a & b < c > d "q" \'s\' ]]> \\u0001\\u001b[31m \\ud800 tab\there\r\nline2 ✓ 😀';
    expect(bad.attrib.name).toBe(`fileContentTests[0] ${visible}`);
    const failure = bad.children[0] as El;
    expect(failure.tag).toBe('failure');
    expect(failure.attrib.message).toBe(`expectedContents[0]: ${visible}`);
    expect(failure.text).toBe(`expectedContents[0]: ${visible}\nsecond failure`);
    expect(bad.children[1]).toMatchObject({ tag: 'system-err', text: visible });
  });

  it('writes an empty suite for a report without tests', () => {
    const root = parseWithExpat(
      renderJUnitXml({ image: 'x', passed: true, tests: 0, failed: 0, durationMs: 0, results: [] }),
    ) as El;
    expect(root.children[0]?.attrib).toMatchObject({ tests: '0', failures: '0', time: '0.000' });
  });
});

describe('renderInvalidSuiteJUnitXml', () => {
  it('writes one failed test case named after the file, carrying the problems', () => {
    const message = `image-tests.yaml: invalid image tests (1 problem):\n  line 2, column 1: ${NASTY}`;
    const root = parseWithExpat(
      renderInvalidSuiteJUnitXml('image-tests.yaml', message, {
        timestamp: new Date('2026-01-02T03:04:05Z'),
      }),
    ) as El;
    expect(root.attrib).toMatchObject({ tests: '1', failures: '1' });
    const suite = root.children[0] as El;
    expect(suite.attrib).toMatchObject({
      name: 'image tests in image-tests.yaml',
      timestamp: '2026-01-02T03:04:05',
    });
    const testcase = suite.children[0] as El;
    expect(testcase.attrib).toEqual({ classname: 'image-tests', name: 'image-tests.yaml', time: '0.000' });
    expect(testcase.children[0]).toMatchObject({
      tag: 'failure',
      attrib: { message: 'invalid image-tests.yaml', type: 'InvalidTestFile' },
    });
    expect(testcase.children[0]?.text).toContain('line 2, column 1: a & b < c');
  });
});
