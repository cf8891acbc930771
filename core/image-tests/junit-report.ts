import type { ImageTestReport } from './run-image-tests.js';

/** Options of the JUnit rendering. */
export interface JUnitOptions {
  /** Name of the test suite element. @default `image tests of <image>` */
  readonly suiteName?: string;
  /** When the suite ran, written as the suite's ISO 8601 `timestamp`. */
  readonly timestamp?: Date;
}

/**
 * The report as JUnit XML (one `testsuite`, one `testcase` per test, a `failure` per failed test listing each
 * broken assertion); text is escaped and characters XML 1.0 cannot hold are written as `\uXXXX`.
 */
export function renderJUnitXml(report: ImageTestReport, options: JUnitOptions = {}): string {
  const suiteName = options.suiteName ?? `image tests of ${report.image}`;
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const counts = `tests="${report.tests}" failures="${report.failed}" errors="0" skipped="0" time="${seconds(report.durationMs)}"`;
  out.push(`<testsuites name="drydock" ${counts}>`);
  const stamp = options.timestamp
    ? ` timestamp="${attr(options.timestamp.toISOString().replace(/\.\d{3}Z$/, ''))}"`
    : '';
  out.push(`  <testsuite name="${attr(suiteName)}" ${counts}${stamp}>`);
  for (const result of report.results) {
    const open = `    <testcase classname="${attr(result.kind)}" name="${attr(`${result.id} ${result.name}`)}" time="${seconds(result.durationMs)}"`;
    const body: string[] = [];
    if (!result.passed) {
      body.push(
        `      <failure message="${attr(result.failures[0] ?? 'failed')}" type="AssertionError">${text(result.failures.join('\n'))}</failure>`,
      );
    }
    if (result.stdout) body.push(`      <system-out>${text(result.stdout)}</system-out>`);
    if (result.stderr) body.push(`      <system-err>${text(result.stderr)}</system-err>`);
    out.push(body.length === 0 ? `${open}/>` : `${open}>\n${body.join('\n')}\n    </testcase>`);
  }
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

// Characters XML 1.0 allows: tab, newline, carriage return, U+0020–U+D7FF, U+E000–U+FFFD and paired surrogates.
const NOT_XML_CHAR =
  /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\uD800-\uDBFF\uDC00-\uDFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function visible(value: string): string {
  return value.replace(NOT_XML_CHAR, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function text(value: string): string {
  // A raw carriage return would be read back as a newline.
  return visible(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}

// In attributes, parsers turn raw tabs and newlines into spaces; character references keep them.
function attr(value: string): string {
  return text(value)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\t', '&#9;')
    .replaceAll('\n', '&#10;');
}

/** JUnit XML for a test file that cannot be used: one failed test case named after the file, with the problems. */
export function renderInvalidSuiteJUnitXml(
  file: string,
  message: string,
  options: JUnitOptions = {},
): string {
  const suiteName = options.suiteName ?? `image tests in ${file}`;
  const stamp = options.timestamp
    ? ` timestamp="${attr(options.timestamp.toISOString().replace(/\.\d{3}Z$/, ''))}"`
    : '';
  const counts = 'tests="1" failures="1" errors="0" skipped="0" time="0.000"';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="drydock" ${counts}>`,
    `  <testsuite name="${attr(suiteName)}" ${counts}${stamp}>`,
    `    <testcase classname="image-tests" name="${attr(file)}" time="0.000">`,
    `      <failure message="${attr(`invalid ${file}`)}" type="InvalidTestFile">${text(message)}</failure>`,
    '    </testcase>',
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
