import { quoteInput } from '../errors.js';
import { compileGoRegex, MAX_MATCH_STEPS } from './go-regex.js';
import type { ImageConfig } from './observations.js';
import type { MetadataTest } from './schema.js';

/** The assertions of the metadata test that the image configuration breaks, each naming its field; empty when it passes. */
export function evaluateMetadataTest(test: MetadataTest, config: ImageConfig): string[] {
  const env = new Map<string, string>();
  for (const entry of config.env) {
    const eq = entry.indexOf('=');
    env.set(eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? '' : entry.slice(eq + 1));
  }
  const failures: string[] = [
    ...checkKeyValues('envVars', 'environment variable', test.envVars, env),
    ...checkKeyValues('labels', 'label', test.labels, new Map(Object.entries(config.labels))),
  ];
  const exposed = (port: string) =>
    config.exposedPorts.some((p) => p === port || (!port.includes('/') && p === `${port}/tcp`));
  test.exposedPorts.forEach((port, i) => {
    if (!exposed(port))
      failures.push(
        `exposedPorts[${i}]: port ${port} is not exposed (exposed: ${list(config.exposedPorts)})`,
      );
  });
  test.unexposedPorts.forEach((port, i) => {
    if (exposed(port)) failures.push(`unexposedPorts[${i}]: port ${port} is exposed`);
  });
  test.volumes.forEach((volume, i) => {
    if (!config.volumes.includes(volume)) {
      failures.push(`volumes[${i}]: ${volume} is not a volume (volumes: ${list(config.volumes)})`);
    }
  });
  test.unmountedVolumes.forEach((volume, i) => {
    if (config.volumes.includes(volume)) failures.push(`unmountedVolumes[${i}]: ${volume} is a volume`);
  });
  for (const field of ['entrypoint', 'cmd'] as const) {
    const expected = test[field];
    if (expected !== undefined && !sameList(expected, config[field])) {
      failures.push(`${field}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(config[field])}`);
    }
  }
  for (const field of ['workdir', 'user'] as const) {
    const expected = test[field];
    if (expected !== undefined && expected !== config[field]) {
      failures.push(`${field}: expected ${quoteInput(expected)}, got ${quoteInput(config[field])}`);
    }
  }
  return failures;
}

function checkKeyValues(
  field: string,
  what: string,
  checks: MetadataTest['labels'],
  actual: ReadonlyMap<string, string>,
): string[] {
  const failures: string[] = [];
  checks.forEach((check, i) => {
    const value = actual.get(check.key);
    if (value === undefined) {
      failures.push(`${field}[${i}]: ${what} ${quoteInput(check.key)} is not set`);
      return;
    }
    if (check.isRegex) {
      const compiled = compileGoRegex(check.value);
      if (!compiled.ok) {
        failures.push(
          `${field}[${i}]: ${quoteInput(check.value)} is not a valid Go (RE2) regular expression: ${compiled.error}`,
        );
      } else if (compiled.regex.size * Math.max(1, value.length) > MAX_MATCH_STEPS) {
        failures.push(
          `${field}[${i}]: ${quoteInput(check.value)} not matched: ${what} ${check.key} is ${value.length} characters, ` +
            `too long for this pattern (over ${MAX_MATCH_STEPS} steps)`,
        );
      } else if (!compiled.regex.test(value)) {
        failures.push(
          `${field}[${i}]: ${what} ${check.key}=${quoteInput(value)} does not match ${quoteInput(check.value)}`,
        );
      }
    } else if (value !== check.value) {
      failures.push(
        `${field}[${i}]: ${what} ${check.key} is ${quoteInput(value)}, expected ${quoteInput(check.value)}`,
      );
    }
  });
  return failures;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function list(values: readonly string[]): string {
  return values.length === 0 ? 'none' : values.join(', ');
}
