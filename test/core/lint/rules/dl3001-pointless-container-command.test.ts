import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3001 commands pointless in a container', () => {
  catches('DL3001', 'FROM debian:12\nRUN top', { line: 2 });
  catches('DL3001', 'FROM debian:12\nONBUILD RUN top');
  catches('DL3001', 'FROM debian:12\nRUN service postgresql start && psql -f /schema.sql');
  catches('DL3001', 'FROM debian:12\nRUN sudo /usr/bin/vim /etc/hosts');
  catches('DL3001', 'FROM debian:12\nRUN pgrep nginx | xargs kill');
  catches('DL3001', 'FROM debian:12\nRUN apt-get update \\\n && ifconfig', { line: 3 });
  passes('DL3001', 'FROM debian:12\nRUN apt-get install -y ssh vim procps');
  passes('DL3001', 'FROM debian:12\nRUN echo "ps aux" > /usr/local/bin/status');
  passes('DL3001', 'FROM debian:12\nRUN --mount=type=cache,target=/root/.cache pip install ruff==0.5.0');
  passes('DL3001', 'FROM debian:12\nCMD ["service", "nginx", "start"]');
});
