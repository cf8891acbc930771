import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3027 apt instead of apt-get', () => {
  catches('DL3027', 'FROM ubuntu:24.04\nRUN apt install -y curl', { line: 2 });
  catches('DL3027', 'FROM ubuntu:24.04\nRUN apt-get update && apt upgrade -y', { line: 2 });
  catches('DL3027', 'FROM ubuntu:24.04\nRUN sudo /usr/bin/apt update');
  catches('DL3027', 'FROM ubuntu:24.04\nONBUILD RUN apt install -y curl');
  passes('DL3027', 'FROM ubuntu:24.04\nRUN apt-get install -y curl');
  passes('DL3027', 'FROM ubuntu:24.04\nRUN apt-cache policy curl && apt-key list && apt-mark hold curl');
  passes('DL3027', 'FROM ubuntu:24.04\nRUN echo "apt install curl" > /README');
});
