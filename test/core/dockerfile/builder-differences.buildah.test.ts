import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILDAH_1_28 } from '../../../core/dockerfile/builder-profile.js';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { lintText } from '../../../core/lint/engine.js';
import { buildMarkedBases, buildText, readInImage } from '../../fixtures/buildah-probe.js';
import {
  type ContainerStorage,
  createContainerStorage,
} from '../../fixtures/image-tests/container-storage.js';

// What buildah 1.28 really builds for each parse difference in docs/rules.md, next to what the gate reads.
const GOOD = 'localhost/diff/good:1';
const EVIL = 'localhost/diff/evil:1';
let storage: ContainerStorage;

/** Builds a Dockerfile with the real buildah; the image's user and files, or buildah's error. */
async function build(
  text: string,
): Promise<
  { ok: true; user: string; read: (path: string) => Promise<string> } | { ok: false; error: string }
> {
  const built = await buildText(storage, text, 'localhost/diff/case');
  if (!built.ok) return built;
  const { tag } = built;
  const user = (await storage.tool('buildah', ['inspect', '--format', '{{.OCIv1.Config.User}}', tag])).trim();
  const read = (path: string) => readInImage(storage, tag, path).catch(() => '(missing)');
  return { ok: true, user, read };
}

const dd004 = (text: string) =>
  lintText(text, 'Dockerfile', { builders: [BUILDAH_1_28] }).filter((f) => f.code === 'DD004');

beforeAll(async () => {
  storage = await createContainerStorage();
  await buildMarkedBases(storage, { good: GOOD, evil: EVIL });
}, 120_000);

afterAll(async () => {
  await storage?.cleanup();
});

describe('what buildah 1.28 builds where the gate reads differently', { timeout: 60_000 }, () => {
  it('builds a heredoc body as instructions: a `#` terminator hides a FROM and a RUN from the gate', async () => {
    const text = `FROM ${GOOD}\nRUN true <<'#'\nFROM ${EVIL}\nRUN echo hidden > /hidden\n#\nUSER 1000\n`;
    // The gate's parser sees one stage on the good base and no /hidden...
    const { model } = parseDockerfile(text);
    expect(model.stages.map((s) => s.image)).toEqual([GOOD]);
    // ...buildah builds on the evil one and runs the hidden RUN.
    const built = await build(text);
    if (!built.ok) throw new Error(built.error);
    expect(await built.read('/base')).toBe('evil\n');
    expect(await built.read('/hidden')).toBe('hidden\n');
    expect(dd004(text).map((f) => f.line)).toEqual([2]);
  });

  it('ignores `# escape=` after `# syntax=`', async () => {
    const text = `# syntax=docker/dockerfile:1\n# escape=\`\nFROM ${GOOD}\nRUN echo a \`\n  b > /x\n`;
    expect(parseDockerfile(text).model.escape).toBe('`');
    // buildah keeps `\` as the escape character, so the backtick reaches the shell.
    expect(await build(text)).toMatchObject({ ok: false, error: expect.stringContaining('backquote') });
    expect(dd004(text)).toHaveLength(1);
  });

  it('ignores `# escape=` after an unknown directive', async () => {
    const text = `# foo=bar\n# escape=\`\nFROM ${GOOD}\nRUN echo a \`\n  b > /x\n`;
    expect(parseDockerfile(text).model.escape).toBe('`');
    expect(await build(text)).toMatchObject({ ok: false, error: expect.stringContaining('backquote') });
    expect(dd004(text)).toHaveLength(1);
  });

  it('honours `# escape=` on the first line, as the gate does', async () => {
    const text = `#escape=\`\nFROM ${GOOD}\nRUN echo a \`\n  b > /x\n`;
    const built = await build(text);
    if (!built.ok) throw new Error(built.error);
    expect(await built.read('/x')).toBe('a b\n');
    expect(dd004(text)).toEqual([]);
  });

  it('refuses a repeated escape directive and an escape character other than \\ or `', async () => {
    for (const [text, says] of [
      [`# escape=\`\n# escape=\\\nFROM ${GOOD}\n`, 'only one escape parser directive'],
      [`# escape=x\nFROM ${GOOD}\n`, "invalid ESCAPE 'x'"],
    ] as const) {
      expect(await build(text)).toMatchObject({ ok: false, error: expect.stringContaining(says) });
      expect(dd004(text)).toHaveLength(1);
    }
  });

  it('drops comment and blank lines inside a continuation, as the gate does', async () => {
    const text = `FROM ${GOOD}\nRUN echo a \\\n# c\n\n   \n  # d \\\n  b > /x\n`;
    const built = await build(text);
    if (!built.ok) throw new Error(built.error);
    expect(await built.read('/x')).toBe('a b\n');
    expect(parseDockerfile(text).model.instructions[1]?.argsText).toBe('echo a   b > /x');
    expect(dd004(text)).toEqual([]);
  });

  it('reads a line ending in `\\\\` as a continuation, where the gate parses two shell commands', async () => {
    const text = `FROM ${GOOD}\nRUN echo a\\\\\nb > /x\n`;
    expect(parseDockerfile(text).model.instructions[1]?.shell?.commands.map((c) => c.name)).toEqual([
      'echo',
      'b',
    ]);
    const built = await build(text);
    if (!built.ok) throw new Error(built.error);
    expect(await built.read('/x')).toBe('ab\n');
    expect(dd004(text)).toHaveLength(1);
  });

  it('keeps a lone carriage return inside the line: a USER the gate sees is not applied', async () => {
    const text = `FROM ${GOOD}\nRUN echo a\rUSER 1000\n`;
    expect(parseDockerfile(text).model.instructions.map((i) => i.keyword)).toContain('USER');
    const built = await build(text);
    if (!built.ok) throw new Error(built.error);
    expect(built.user).toBe('');
    expect(dd004(text)).toHaveLength(1);
  });

  it('does not read a quoted `<<b` as a heredoc, which the gate does, hiding the USER after it', async () => {
    const text = `FROM ${GOOD}\nRUN echo "a <<b" > /x\nUSER 1000\n`;
    expect(parseDockerfile(text).model.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN']);
    const built = await build(text);
    if (!built.ok) throw new Error(built.error);
    expect(built.user).toBe('1000');
    expect(dd004(text)).toHaveLength(1);
  });

  it('refuses ONBUILD chains and JSON arrays of non-strings, which the gate reads as instructions', async () => {
    for (const [text, says] of [
      [`FROM ${GOOD}\nONBUILD ONBUILD RUN echo x\n`, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"],
      [`FROM ${GOOD}\nONBUILD FROM ${EVIL}\n`, "FROM isn't allowed as an ONBUILD trigger"],
      [`FROM ${GOOD}\nONBUILD MAINTAINER me\n`, "MAINTAINER isn't allowed as an ONBUILD trigger"],
      [`FROM ${GOOD}\nCMD ["echo", 1]\n`, 'arrays must be comprised of strings only'],
    ] as const) {
      expect(parseDockerfile(text).problems).toEqual([]);
      expect(await build(text)).toMatchObject({ ok: false, error: expect.stringContaining(says) });
      expect(dd004(text)).toHaveLength(1);
    }
  });

  it('reads lower-case instructions and not-quite-JSON arguments as the gate does', async () => {
    const text = `from ${GOOD}\nrun echo hi > /x\nuser 1000\nCMD ['echo', 'x']\n`;
    const built = await build(text);
    if (!built.ok) throw new Error(built.error);
    expect(built.user).toBe('1000');
    expect(await built.read('/x')).toBe('hi\n');
    expect(parseDockerfile(text).model.instructions[3]?.json).toBeNull();
    expect(dd004(text)).toEqual([]);
  });
});
