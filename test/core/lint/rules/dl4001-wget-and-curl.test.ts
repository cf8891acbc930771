import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL4001 wget and curl', () => {
  catches(
    'DL4001',
    'FROM debian:12\nRUN wget -q https://example.com/a\nRUN curl -fsSO https://example.com/b',
    { line: 3 },
  );
  catches('DL4001', 'FROM debian:12\nRUN wget -q https://example.com/a && curl -fsSO https://example.com/b', {
    line: 2,
  });
  catches(
    'DL4001',
    'FROM debian:12\nRUN wget -q https://example.com/a\nRUN curl -fsSO https://example.com/b\nRUN wget -q https://example.com/c',
    { line: 4 },
  );
  catches(
    'DL4001',
    'FROM debian:12\nRUN curl -fsSO https://example.com/b\nRUN sh -c "wget -q https://example.com/a"',
    { line: 3 },
  );
  passes('DL4001', 'FROM debian:12\nRUN wget -q https://example.com/a\nRUN wget -q https://example.com/b');
  passes(
    'DL4001',
    'FROM debian:12\nRUN wget -q https://example.com/a\nFROM debian:12\nRUN curl -fsSO https://example.com/b',
  );
  passes('DL4001', 'FROM debian:12\nRUN apt-get install -y curl wget && curl -fsSO https://example.com/b');
});
