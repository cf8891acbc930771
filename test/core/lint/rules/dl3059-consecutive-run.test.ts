import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3059 consecutive RUN', () => {
  catches('DL3059', 'FROM debian:12\nRUN make\nRUN make install', { line: 3 });
  catches('DL3059', 'FROM debian:12\nRUN make\n# then install\nRUN make install');
  catches(
    'DL3059',
    'FROM debian:12\nRUN --mount=type=cache,target=/c make\nRUN --mount=type=cache,target=/c make test',
  );
  catches('DL3059', 'FROM debian:12\nRUN a && b\nRUN c\nRUN d', { line: 4 });
  passes('DL3059', 'FROM debian:12\nRUN make\nWORKDIR /src\nRUN make install');
  passes('DL3059', 'FROM debian:12\nRUN make && make test\nRUN make install');
  passes('DL3059', 'FROM debian:12\nRUN make\nRUN make test; make install');
  passes('DL3059', 'FROM debian:12\nRUN --mount=type=secret,id=npm npm ci\nRUN npm run build');
  passes('DL3059', 'FROM debian:12\nRUN make\nRUN ["sh", "-c", "make test && make install"]');
  passes('DL3059', 'FROM debian:12\nRUN make');
});
