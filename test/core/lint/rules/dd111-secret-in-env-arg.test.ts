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
