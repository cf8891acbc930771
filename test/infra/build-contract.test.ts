import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUILD_ENV, BUILD_EXPORTS } from '../../adapters/aws/build-contract.js';
import { BUILD_PROJECT_VARIABLES } from '../../infra/drydock-pipeline.js';

// The build's side of the contract with the build starter and the build-state function (adapters/aws).
const spec = parse(readFileSync(join(import.meta.dirname, '../../buildspecs/build.yml'), 'utf8'));
const commands: string[] = Object.values(spec.phases as Record<string, { commands: string[] }>).flatMap(
  (p) => p.commands,
);
const expanded = new Set(
  commands.flatMap((c) => [...c.matchAll(/\$\{?([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1]!)),
);
const exportedHere = new Set(
  commands.flatMap((c) => [...c.matchAll(/^export ([A-Z_][A-Z0-9_]*)=/g)].map((m) => m[1]!)),
);

describe('the build contract', () => {
  it('expands only variables that StartBuild, the project, the buildspec or CodeBuild set', () => {
    const known = new Set<string>([
      ...Object.values(BUILD_ENV),
      ...BUILD_PROJECT_VARIABLES,
      ...Object.keys(spec.env.variables),
      ...exportedHere,
      'AWS_REGION',
    ]);
    for (const name of expanded) expect(known.has(name), name).toBe(true);
  });

  it('exports what the build-state function reads back', () => {
    const exported: string[] = spec.env['exported-variables'];
    for (const name of exported) expect(Object.values(BUILD_EXPORTS), name).toContain(name);
    for (const name of [
      BUILD_EXPORTS.imageRef,
      BUILD_EXPORTS.imageDigest,
      BUILD_EXPORTS.configDigest,
      BUILD_EXPORTS.stage,
    ]) {
      expect(exported).toContain(name);
      expect(exportedHere.has(name), name).toBe(true);
    }
  });
});
