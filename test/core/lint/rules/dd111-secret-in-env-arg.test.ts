import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD111 secret baked into ENV or ARG', () => {
  catches('DD111', 'FROM debian:12\nENV MYSQL_ROOT_PASSWORD=root', { line: 2 });
  catches('DD111', 'FROM debian:12\nENV KC_DB_USERNAME=keycloak \\\n    KC_DB_PASSWORD=keycloak', {
    line: 3,
  });
  catches('DD111', 'FROM debian:12\nARG POSTGRES_PASSWORD=postgres');
  catches('DD111', 'FROM debian:12\nARG JWT_SECRET=my-super-secret-jwt-key');
  catches('DD111', 'FROM debian:12\nENV AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
  catches('DD111', 'FROM debian:12\nENV SECRET_KEY_BASE=3b1f9c0e7d2a4b6c8e0f1a3b5c7d9e1f');
  catches('DD111', 'FROM debian:12\nENV STRIPE_API_KEY sk_test_abc123');
  catches('DD111', 'FROM debian:12\nENV DB_PASSWORD=${DB_PASSWORD:-changeme}');
  catches('DD111', 'FROM debian:12\nENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE');
  catches('DD111', 'FROM debian:12\nENV GH=ghp_16C7e42F292c6912E7710c838347Ae178B4a');
  catches('DD111', 'FROM debian:12\nENV SLACK_HOOK_AUTH=xoxb-1234567890-abcdefghij');
  catches('DD111', 'FROM debian:12\nENV DATABASE_URL=postgres://app:s3cr3t@db:5432/app');
  catches('DD111', 'FROM debian:12\nENV CACHE=redis://:hunter2@redis:6379/0');
  catches('DD111', 'FROM debian:12\nENV KEY="-----BEGIN RSA PRIVATE KEY-----\\nMIIEow..."');
  catches(
    'DD111',
    'FROM debian:12\nENV SESSION=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ',
  );
  catches('DD111', 'FROM debian:12\nENV APP_KEY=base64:Zk3q9Lx0Vb7Tq2Wm8Yp4Rs6Un1Hc5Ja0');
  catches('DD111', 'FROM debian:12\nONBUILD ENV NPM_TOKEN=npm_abcdefghijklmnopqrstuvwxyz0123456789');
  passes('DD111', 'FROM debian:12\nENV POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password');
  passes('DD111', 'FROM debian:12\nENV TOKEN_HEADER=X-Auth-Token TOKEN_URL=https://auth.example.com/token');
  passes('DD111', 'FROM debian:12\nENV DB_PASSWORD= API_TOKEN=""');
  passes('DD111', 'FROM debian:12\nARG NPM_TOKEN\nENV NPM_TOKEN=${NPM_TOKEN} DB_PASSWORD=$DB_PASSWORD');
  passes('DD111', 'FROM debian:12\nENV ADMIN_PASSWORD=<set-at-runtime> API_KEY="{{ api_key }}"');
  passes('DD111', 'FROM debian:12\nENV MYSQL_ALLOW_EMPTY_PASSWORD=yes MYSQL_RANDOM_ROOT_PASSWORD=true');
  passes('DD111', 'FROM debian:12\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D');
  passes(
    'DD111',
    'FROM debian:12\nENV GPG_KEYS="B42F6819007F00F88E364FD4036A9C25BF357DD4 0D69E11F12BDBA077B3726AB4E1F799AA4FF2279"',
  );
  passes('DD111', 'FROM debian:12\nENV GOOGLE_APPLICATION_CREDENTIALS=/root/gcloud-key.json');
  passes(
    'DD111',
    'FROM debian:12\nENV DATABASE_URL=postgres://db:5432/app REDIS_URL=redis://:${REDIS_PASSWORD}@redis:6379',
  );
  passes('DD111', 'FROM debian:12\nENV PASSWORD_MIN_LENGTH=12 TOKEN_TTL=3600 CSRF_TOKEN_NAME=csrftoken');
  passes('DD111', 'FROM debian:12\nENV ANSIBLE_HOST_KEY_CHECKING=False PWD=/app');
  // Variables client tools read their password or credentials from, whatever their last word.
  catches('DD111', 'FROM postgres:16\nENV PGPASSWORD=hunter2hunter2', { line: 2 });
  catches('DD111', 'FROM mysql:8\nENV MYSQL_PWD=s3cr3t');
  catches('DD111', 'FROM redis:7\nENV REDISCLI_AUTH=hunter2');
  catches(
    'DD111',
    'FROM docker:27\nENV DOCKER_AUTH_CONFIG={"auths":{"r.example.com":{"auth":"dXNlcjpwYXNz"}}}',
  );
  catches('DD111', 'FROM node:20\nENV CONFIG={"password":"s3cr3t-value"}', { line: 2 });
  catches('DD111', 'FROM node:20\nENV APP_SETTINGS=\'{"db": {"user": "app", "secret": "hunter2"}}\'');
  catches('DD111', 'FROM node:20\nARG SETTINGS="api_token: abc123def"');
  passes('DD111', 'FROM postgres:16\nENV PGPASSWORD_FILE=/run/secrets/pg MYSQL_PWD= REDISCLI_AUTH=""');
  passes('DD111', 'FROM postgres:16\nARG PGPASSWORD\nENV PGPASSWORD=${PGPASSWORD} MYSQL_PWD=$MYSQL_PWD');
  passes('DD111', 'FROM debian:12\nENV PWD=/app OLDPWD=/ PGUSER=app PGHOST=db');
  passes('DD111', 'FROM docker:27\nENV DOCKER_AUTH_CONFIG={"credHelpers":{"r.example.com":"ecr-login"}}');
  passes(
    'DD111',
    'FROM node:20\nENV CONFIG={"password":"${DB_PASSWORD}","token":"","secret":null,"password_min":12}',
  );
  passes('DD111', 'FROM node:20\nENV CONFIG={"password_file":"/run/secrets/db","token_url":"https://x/t"}');
});

describe('DD111 names and values (issue 10)', () => {
  // Jenkins credentials(): X_PSW is the password; X_USR is the user name, not a secret (as Trivy and Checkov).
  catches('DD111', 'FROM debian:12\nENV DEPLOY_PSW=hunter2hunter2');
  passes('DD111', 'FROM debian:12\nENV DEPLOY_USR=jenkins-bot');
  catches('DD111', 'FROM debian:12\nENV GITHUB_PAT=abc123def456 VAULT_PASSCODE=1234567');
  passes('DD111', 'FROM debian:12\nENV PAT=abc PATH=/usr/bin:/bin');
  catches('DD111', 'FROM debian:12\nENV NEW_RELIC_LICENSE_KEY=eu01xx0123456789abcdef0123456789abcdNRAL');
  // A path value is not a secret value: the finding, if any, is the file copied in (DD112).
  passes(
    'DD111',
    'FROM debian:12\nENV GOOGLE_APPLICATION_CREDENTIALS=./key.json AWS_SHARED_CREDENTIALS_FILE=/run/secrets/x',
  );
  passes('DD111', 'FROM debian:12\nENV GOOGLE_APPLICATION_CREDENTIALS=credentials/service-account-prod.json');
  passes(
    'DD111',
    'FROM debian:12\nENV DOCKER_AUTH_VERSION=1.5.0 TOKEN_URL=https://auth.example.com/oauth/token',
  );
  passes(
    'DD111',
    'FROM debian:12\nENV SECRET_KEY_BASE= API_SECRET=$(cat /run/secrets/api) JWT_SECRET=${JWT_SECRET}',
  );
  passes('DD111', 'FROM debian:12\nENV GIT_CONFIG_KEY_0=http.sslVerify GIT_CONFIG_VALUE_0=true');
  // A default password everyone can read is a finding, as Trivy's DS031 and gitleaks' password rules treat it.
  catches('DD111', 'FROM debian:12\nENV ADMIN_PASSWORD=changeme');
  catches(
    'DD111',
    'FROM debian:12\nENV GOOGLE_APPLICATION_CREDENTIALS=\'{"type":"service_account","private_key":"x"}\'',
  );
});

describe('DD111 secrets in LABEL', () => {
  catches('DD111', 'FROM debian:12\nLABEL deploy.token=ghp_16C7e42F292c6912E7710c838347Ae178B4a', {
    line: 2,
  });
  catches('DD111', 'FROM debian:12\nLABEL com.example.db-password="s3cr3t-pass"');
  catches(
    'DD111',
    'FROM debian:12\nLABEL notify="https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx"',
  );
  passes(
    'DD111',
    'FROM debian:12\nLABEL org.opencontainers.image.source=https://github.com/acme/app maintainer="ops@example.com" com.example.token-url=https://x/token',
  );
});

describe('DD111 chat webhooks and token shapes', () => {
  catches(
    'DD111',
    'FROM debian:12\nENV ALERT_URL=https://discord.com/api/webhooks/123456789012345678/abcdefghijklmnopqrstuvwxyzABCDEF',
  );
  catches(
    'DD111',
    'FROM debian:12\nENV TEAMS=https://acme.webhook.office.com/webhookb2/0f8fad5b-d9cb-469f-a165-70867728950e@x/IncomingWebhook/abc',
  );
  catches(
    'DD111',
    'FROM debian:12\nLABEL alerts="https://prod-12.westus.logic.azure.com:443/workflows/0a1b2c/triggers/manual/paths/invoke?api-version=2016-06-01&sig=AbCdEfGhIjKlMnOpQrStUvWxYz012345"',
  );
  catches('DD111', 'FROM debian:12\nENV MAPS=AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q');
  catches('DD111', 'FROM debian:12\nENV GL=glpat-abcdefghij0123456789');
  catches('DD111', 'FROM debian:12\nENV S=xoxp-1234567890-abcdefghij');
  catches('DD111', 'FROM debian:12\nENV STRIPE=sk_live_abcdefghijklmnop1234');
  catches('DD111', 'FROM debian:12\nENV A=ASIAIOSFODNN7EXAMPLE');
  passes(
    'DD111',
    'FROM debian:12\nENV SLACK_URL=https://hooks.slack.com DISCORD_API=https://discord.com/api/v10',
  );
  passes('DD111', 'FROM debian:12\nENV STRIPE_MODE=sk_test AKIA_NOTE=akia');
});

describe('DD111 secrets in RUN', () => {
  catches(
    'DD111',
    'FROM debian:12\nRUN export GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a && make',
    { line: 2 },
  );
  catches('DD111', 'FROM debian:12\nRUN export API_TOKEN=s3cr3tvalue123 && ./deploy.sh');
  catches('DD111', 'FROM debian:12\nRUN NPM_TOKEN=abcdef0123456789 npm publish');
  catches('DD111', 'FROM debian:12\nRUN set -e; \\\n    DB_PASSWORD=hunter2hunter2; \\\n    ./migrate.sh');
  passes(
    'DD111',
    'FROM debian:12\nRUN export GITHUB_TOKEN="$(cat /run/secrets/gh)" && NPM_TOKEN=$NPM_TOKEN npm ci',
  );
  passes(
    'DD111',
    'FROM debian:12\nRUN PASS=0; for t in a b; do PASS=$((PASS+1)); done; PASSWORD_MIN_LENGTH=8 ./x',
  );
  catches(
    'DD111',
    'FROM debian:12\nRUN git clone https://bot:ghs_notashape_butliteral@github.com/acme/app.git',
  );
  catches(
    'DD111',
    'FROM debian:12\nRUN pip install --index-url https://user:s3cret@pypi.example.com/simple app',
  );
  passes('DD111', 'FROM debian:12\nRUN git clone https://oauth2:${GITLAB_TOKEN}@gitlab.com/acme/app.git');
  passes(
    'DD111',
    'FROM debian:12\nRUN git clone https://github.com/acme/app.git && curl -fsSL https://user@example.com/',
  );
  catches(
    'DD111',
    'FROM debian:12\nRUN curl -u deploy:hunter2 https://nexus.example.com/repo/app.tgz -o app.tgz',
  );
  catches('DD111', 'FROM debian:12\nRUN curl --user "deploy:hunter2" -O https://nexus.example.com/app.tgz');
  passes(
    'DD111',
    'FROM debian:12\nRUN curl -u "deploy:$NEXUS_PASSWORD" -O https://nexus.example.com/app.tgz && curl -u anonymous: -O x',
  );
  catches(
    'DD111',
    'FROM debian:12\nRUN curl -H "Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543" https://api.example.com/x',
  );
  catches(
    'DD111',
    'FROM debian:12\nRUN wget --header="PRIVATE-TOKEN: abcdefghijklmnop" https://gitlab.example.com/x',
  );
  passes(
    'DD111',
    'FROM debian:12\nRUN curl -H "Authorization: Bearer $(cat /run/secrets/t)" -H "Accept: application/json" https://api.example.com/x',
  );
  catches('DD111', 'FROM debian:12\nRUN echo ghp_16C7e42F292c6912E7710c838347Ae178B4a > /root/.gh-token');
  catches('DD111', 'FROM debian:12\nRUN echo "s3cr3t-db-pass" > /etc/app/db_password');
  passes(
    'DD111',
    'FROM debian:12\nRUN echo "$DB_PASSWORD" > /etc/app/db_password && echo 8 > /etc/app/password_min',
  );
  catches(
    'DD111',
    'FROM node:20\nRUN npm config set //registry.example.com/:_authToken 0b1c2d3e4f5a6b7c8d9e && npm ci',
  );
  catches(
    'DD111',
    'FROM node:20\nRUN npm config set "//registry.example.com/:_authToken=0b1c2d3e4f5a6b7c8d9e"',
  );
  passes(
    'DD111',
    'FROM node:20\nRUN npm config set //registry.example.com/:_authToken "${NPM_TOKEN}" && npm config set registry https://r/',
  );
  catches(
    'DD111',
    'FROM debian:12\nRUN git config --global credential.helper store && git config --global url."https://bot:tok3n-v4lue@github.com/".insteadOf "https://github.com/"',
  );
  catches(
    'DD111',
    'FROM debian:12\nRUN git config --global http.extraHeader "AUTHORIZATION: basic dXNlcjpwYXNzd29yZA=="',
  );
  passes(
    'DD111',
    'FROM debian:12\nRUN git config --global credential.helper store && git config --global user.name bot',
  );
  catches('DD111', 'FROM python:3.12\nRUN poetry config http-basic.private deploy hunter2hunter2');
  catches(
    'DD111',
    'FROM debian:12\nRUN aws configure set aws_secret_access_key wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY',
  );
  passes(
    'DD111',
    'FROM debian:12\nRUN aws configure set region eu-west-1 && poetry config virtualenvs.create false',
  );
  catches(
    'DD111',
    'FROM debian:12\nHEALTHCHECK CMD wget -q --http-user=admin --http-password=secret -O- http://localhost/',
  );
  passes(
    'DD111',
    'FROM debian:12\nHEALTHCHECK CMD wget -q --http-user=admin --http-password="$ADMIN_PW" -O- http://localhost/',
  );
  catches('DD111', 'FROM docker:27\nRUN docker login -u bot -p hunter2hunter2 registry.example.com');
  catches('DD111', 'FROM mysql:8\nRUN mysql -uroot -pS3cr3tP4ss -e "select 1"');
  // Build-only stand-ins are not credentials: Django needs some SECRET_KEY to collect static files.
  passes(
    'DD111',
    'FROM python:3.12\nRUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput',
  );
  passes('DD111', 'FROM mysql:8\nRUN mysql -uroot -proot -e "select 1" && export DB_PASSWORD=dummy');
  passes(
    'DD111',
    'FROM docker:27\nRUN docker buildx build --secret id=npm1,src=/run/npm . && app --password file:/run/pw2 --token @/run/t3',
  );
  catches('DD111', 'FROM debian:12\nRUN kubeadm join 10.0.0.1:6443 --token abcdef.0123456789abcdef');
  passes(
    'DD111',
    'FROM docker:27\nRUN docker login -u bot --password-stdin r.example.com < /run/secrets/pw && mysql -p -e "x"',
  );
  catches(
    'DD111',
    'FROM debian:12\nRUN curl -X POST -d \'{"text":"built"}\' https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx',
  );
  catches(
    'DD111',
    'FROM debian:12\nRUN <<EOF\nexport SENTRY_AUTH_TOKEN=sntrys_abcdefghijklmnopqrstuvwxyz\n./upload\nEOF',
  );
  catches('DD111', 'FROM debian:12\nADD https://deploy:hunter2@files.example.com/app.tgz /opt/');
  catches('DD111', 'FROM debian:12\nCMD ["sh", "-c", "exec app --token=abcdef0123456789abcdef"]');
  passes(
    'DD111',
    'FROM debian:12\nCMD ["app", "--token-file=/run/secrets/token", "--password-file", "/run/secrets/pw"]',
  );
});

describe('DD111 values named through variables', () => {
  catches(
    'DD111',
    'FROM debian:12\nENV U=deploy:hunter2\nRUN curl -u "$U" https://nexus.example.com/app.tgz',
    { line: 3 },
  );
  catches(
    'DD111',
    'FROM debian:12\nENV H="Authorization: Bearer 8f14e45fceea167a5a36dedd4bea2543"\nRUN curl -H "$H" https://api.example.com/x',
    { line: 3 },
  );
  passes(
    'DD111',
    'FROM debian:12\nARG U\nRUN --mount=type=secret,id=u curl -u "$U" https://nexus.example.com/app.tgz',
  );
});

describe('DD111: attack review (values assembled by the builder, passwords on stdin)', () => {
  // The builder joins the pieces: the image config holds the whole token.
  catches('DD111', 'FROM alpine\nARG P=ghp_abcdefghij\nENV GH=${P}klmnopqrstuvwxyz0123456789', { line: 3 });
  catches('DD111', 'FROM alpine\nENV A=ghp_abcdefghij\nENV T=${A}klmnopqrstuvwxyz0123456789', { line: 3 });
  catches('DD111', 'FROM alpine\nARG PW=Xk9fQ2mZ7pLw\nENV DB_PASSWORD=$PW', { line: 3 });
  passes('DD111', 'FROM alpine\nARG V=1.2.3\nENV APP_VERSION=${V}-build');
  passes('DD111', 'FROM alpine\nARG DB_PASSWORD\nENV DB_PASSWORD=$DB_PASSWORD');
  // A literal password piped into `login --password-stdin` is on the command line in the image history.
  catches('DD111', 'FROM docker\nRUN echo Xk9fQ2mZ7pLw | docker login -u a --password-stdin x.io', {
    line: 2,
  });
  catches('DD111', "FROM docker\nRUN printf '%s' 'Xk9fQ2mZ7pLw' | podman login --password-stdin -u a x.io");
  passes('DD111', 'FROM docker\nRUN cat /run/secrets/reg | docker login -u a --password-stdin x.io');
  passes('DD111', 'FROM docker\nRUN echo "$REG_PASSWORD" | docker login -u a --password-stdin x.io');
});
