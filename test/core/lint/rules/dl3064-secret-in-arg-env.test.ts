import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DL3064 secrets in ARG or ENV', () => {
  catches('DL3064', 'ARG AWS_SECRET_ACCESS_KEY\nFROM debian:12', { line: 1 });
  catches('DL3064', 'FROM debian:12\nARG npm_token');
  catches('DL3064', 'FROM debian:12\nENV DB_PASSWORD=hunter2', { line: 2 });
  catches('DL3064', 'FROM debian:12\nENV APP=1 \\\n    OPENAI_API_KEY=sk-abc', { line: 3 });
  catches('DL3064', 'FROM debian:12\nONBUILD ARG GITHUB_TOKEN');
  passes('DL3064', 'FROM debian:12\nARG VERSION\nENV APP_HOME=/srv');
  passes('DL3064', 'FROM debian:12\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db');
  passes('DL3064', 'FROM python:3.12\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D');
  passes('DL3064', 'FROM debian:12\nENV AUTH_ENABLED=true');
  passes('DL3064', 'FROM debian:12\nENV GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/sa.json');
  passes('DL3064', 'FROM debian:12\nARG TOKENIZER_MODEL=bert');
});

describe('DL3064 names that describe a secret are not one (issue 10)', () => {
  catches('DL3064', 'FROM jenkins/inbound-agent\nARG NEXUS_PSW');
  passes('DL3064', 'FROM jenkins/inbound-agent\nARG NEXUS_USR');
  passes('DL3064', 'FROM debian:12\nENV DOCKER_AUTH_VERSION=1.5.0 PASSWORD_MIN_LENGTH=8 TOKEN_TTL=3600');
  passes('DL3064', 'FROM debian:12\nENV GIT_CONFIG_KEY_0=http.sslVerify GIT_CONFIG_VALUE_0=true');
  passes('DL3064', 'FROM debian:12\nENV GOOGLE_APPLICATION_CREDENTIALS=./key.json DB_PASSWORD=');
  catches('DL3064', 'FROM debian:12\nENV DOCKER_AUTH=abc123 SECRET_KEY_BASE=x');
});
