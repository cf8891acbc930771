import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3004 sudo', () => {
  catches('DL3004', 'FROM debian:12\nRUN sudo apt-get update', { line: 2 });
  catches('DL3004', 'FROM debian:12\nONBUILD RUN sudo apt-get update');
  catches('DL3004', 'FROM debian:12\nRUN apt-get update && sudo apt-get install -y curl');
  catches('DL3004', 'FROM debian:12\nRUN env DEBIAN_FRONTEND=noninteractive sudo -E make install');
  catches('DL3004', 'FROM debian:12\nRUN /usr/bin/sudo -u app touch /home/app/x');
  passes('DL3004', 'FROM debian:12\nRUN apt-get install -y sudo');
  passes('DL3004', 'FROM debian:12\nRUN echo "app ALL=(ALL) NOPASSWD: ALL" > /etc/sudoers.d/app');
  passes('DL3004', 'FROM debian:12\nRUN gosu app make install');
});
