import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3008 apt-get install without versions', () => {
  catches('DL3008', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl', { line: 2 });
  catches('DL3008', 'FROM debian:12\nRUN apt-get install -y curl=7.88.1-10 git');
  catches('DL3008', 'FROM debian:12\nRUN apt-get install -y -t bookworm-backports golang');
  catches('DL3008', 'FROM debian:12\nRUN sudo apt-get -o Dpkg::Options::=--force-confold install -y vim');
  catches('DL3008', 'FROM debian:12\nRUN ["apt-get", "install", "-y", "curl"]');
  catches('DL3008', 'FROM debian:12\nRUN sh -c "apt-get install -y curl"');
  catches(
    'DL3008',
    'FROM debian:12\nRUN set -e \\\n && apt-get update \\\n && apt-get install -y \\\n    jq',
    { line: 4 },
  );
  catches('DL3008', 'FROM debian:12\nONBUILD RUN apt-get install -y curl');
  passes('DL3008', 'FROM debian:12\nRUN apt-get install -y curl=7.88.1-10 git=1:2.39.2-1.1');
  passes('DL3008', 'FROM debian:12\nRUN apt-get install -y --no-install-recommends ruby=1:3.1* wget=1.21.*');
  passes('DL3008', 'FROM debian:12\nRUN apt-get install -y -t bookworm-backports golang=2:1.21~2');
  passes('DL3008', 'FROM debian:12\nRUN apt-get install -y ./vendor/tool_1.2.3_amd64.deb');
  passes('DL3008', 'FROM debian:12\nRUN apt-get install -y curl/bookworm-backports');
  passes('DL3008', 'FROM debian:12\nRUN apt-get install -y "curl=${CURL_VERSION}" $EXTRA_PACKAGES');
  passes('DL3008', 'FROM debian:12\nRUN apt-get install -y curl=7.88.1-10 unattended-upgrades-');
  passes('DL3008', 'FROM debian:12\nRUN apt-get update && apt-get -y upgrade && apt-get -y remove curl');
  passes('DL3008', 'FROM debian:12\nRUN apt install -y curl');
  passes('DL3008', 'FROM debian:12\nRUN echo "apt-get install curl" >> /notes.txt');
});
