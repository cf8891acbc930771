import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL4005 ln to /bin/sh', () => {
  catches('DL4005', 'FROM debian:12\nRUN ln -sf /bin/bash /bin/sh', { line: 2 });
  catches('DL4005', 'FROM debian:12\nRUN apt-get update && \\\n    ln -sfv bash /bin/sh', { line: 3 });
  catches('DL4005', 'FROM debian:12\nONBUILD RUN sudo ln -sf /bin/bash /bin/sh');
  passes('DL4005', 'FROM debian:12\nRUN ln -sf /bin/true /sbin/initctl');
  passes('DL4005', 'FROM debian:12\nRUN ln -s foo bar && check /bin/sh');
  passes('DL4005', 'FROM debian:12\nRUN ln -s /bin/sh /usr/local/bin/sh-compat');
  passes('DL4005', 'FROM debian:12\nSHELL ["/bin/bash", "-c"]');
});
