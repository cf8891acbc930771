import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3046 useradd with a high UID', () => {
  catches('DL3046', 'FROM debian:12\nRUN useradd -u 123456 app', { line: 2 });
  catches('DL3046', 'FROM debian:12\nRUN useradd --uid=1000000 -m app');
  catches('DL3046', 'FROM debian:12\nRUN groupadd -g 123456 app && useradd --uid 123456 -g app app');
  catches('DL3046', 'FROM debian:12\nONBUILD RUN useradd -u123456 app');
  passes('DL3046', 'FROM debian:12\nRUN useradd app');
  passes('DL3046', 'FROM debian:12\nRUN useradd -u 12345 app');
  passes('DL3046', 'FROM debian:12\nRUN useradd -l -u 123456 app');
  passes('DL3046', 'FROM debian:12\nRUN useradd --no-log-init --uid 123456 app');
  passes('DL3046', 'FROM debian:12\nRUN useradd -lu 123456 app');
  passes('DL3046', 'FROM debian:12\nARG UID=123456\nRUN useradd -u "$UID" app');
});
