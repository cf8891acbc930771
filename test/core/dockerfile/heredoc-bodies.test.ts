import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';

const redirectsOf = (text: string, index = 1) =>
  parseDockerfile(text).model.instructions[index]?.shell?.commands.map((c) => [c.name, c.redirects]);

describe('heredoc bodies and redirects in the model', () => {
  it('gives a heredoc redirect its body', () => {
    expect(redirectsOf('FROM debian:12\nRUN cat <<EOF > /etc/motd\nhello $USER\nbye\nEOF\n')).toEqual([
      [
        'cat',
        [
          { op: '<<', target: 'EOF', body: 'hello $USER\nbye' },
          { op: '>', target: '/etc/motd' },
        ],
      ],
    ]);
  });

  it('strips leading tabs from a <<- body', () => {
    const [[, redirects]] = redirectsOf('FROM debian:12\nRUN tee /etc/x <<-EOT\n\tone\n\t\ttwo\n\tEOT\n') as [
      [string, { body?: string }[]],
    ];
    expect(redirects[0]?.body).toBe('one\ntwo');
  });

  it('names here-strings and &> redirects and keeps the descriptor of 2>', () => {
    expect(redirectsOf('FROM debian:12\nRUN cat <<< "x" &>> /y 2>/dev/null\n')).toEqual([
      [
        'cat',
        [
          { op: '<<<', target: 'x' },
          { op: '&>>', target: '/y' },
          { op: '>', target: '/dev/null', fd: '2' },
        ],
      ],
    ]);
  });

  it('records the heredocs of COPY', () => {
    const { model } = parseDockerfile('FROM debian:12\nCOPY <<a.conf <<b.conf /etc/\nA\na.conf\nB\nb.conf\n');
    expect(model.instructions[1]?.heredocs.map((h) => [h.name, h.body])).toEqual([
      ['a.conf', 'A'],
      ['b.conf', 'B'],
    ]);
  });

  it('does not throw on an unterminated heredoc followed by an exec-form instruction', () => {
    const { model } = parseDockerfile('FROM debian:12\nRUN <<-EOT\n\\thello\n\\tEOT\nRUN ["a", "b"]\n');
    expect(model.instructions.map((i) => i.keyword)).toEqual(['FROM', 'RUN']);
  });
});
