import { describe } from 'vitest';
import { catches, passes } from '../../../helpers/rule-cases.js';

describe('DD112 private key or credential file copied or written into the image', () => {
  catches('DD112', 'FROM debian:12\nCOPY id_rsa /root/.ssh/id_rsa', { line: 2 });
  catches('DD112', 'FROM debian:12\nCOPY keys/id_ed25519 keys/id_ed25519.pub /root/.ssh/');
  catches('DD112', 'FROM debian:12\nADD --chown=app:app deploy/server.key /etc/ssl/private/');
  catches('DD112', 'FROM debian:12\nCOPY tls/privkey.pem tls/fullchain.pem /etc/nginx/tls/');
  catches('DD112', 'FROM debian:12\nCOPY server.pem /etc/haproxy/server.pem');
  catches('DD112', 'FROM debian:12\nCOPY certs/server-key.pem /etc/ssl/');
  catches('DD112', 'FROM debian:12\nCOPY .netrc .pypirc .git-credentials /root/');
  catches('DD112', 'FROM debian:12\nCOPY .aws/credentials /root/.aws/credentials');
  catches('DD112', 'FROM debian:12\nCOPY .docker/config.json /root/.docker/config.json');
  catches('DD112', 'FROM debian:12\nCOPY kubeconfig /root/.kube/config');
  catches('DD112', 'FROM debian:12\nCOPY ["gcp/service-account-prod.json", "/secrets/sa.json"]');
  catches('DD112', 'FROM debian:12\nCOPY keystore.p12 client.pfx /opt/app/');
  catches('DD112', 'FROM debian:12\nCOPY sasl_passwd /etc/postfix/sasl_passwd');
  catches('DD112', 'FROM debian:12\nCOPY .ssh/ /root/.ssh/');
  catches('DD112', 'FROM node:20\nWORKDIR /app\nCOPY package.json .npmrc ./');
  catches('DD112', 'FROM node:20\nCOPY .env.production .env ./');
  catches(
    'DD112',
    'FROM debian:12 AS build\nCOPY id_rsa /root/.ssh/\nFROM debian:12\nCOPY --from=build /out /out',
    {
      line: 2,
    },
  );
  catches(
    'DD112',
    'FROM debian:12\nRUN echo "[smtp.sendgrid.net]:587 apikey:SG.abc" > /etc/postfix/sasl_passwd && postmap /etc/postfix/sasl_passwd',
    { line: 2 },
  );
  catches(
    'DD112',
    'FROM node:20\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci',
  );
  catches(
    'DD112',
    'FROM debian:12\nRUN printf "machine github.com login bot password %s\\n" "$PAT" > ~/.netrc',
  );
  catches(
    'DD112',
    'FROM debian:12\nCOPY <<EOF /root/.aws/credentials\n[default]\naws_secret_access_key = abc\nEOF',
  );
  passes(
    'DD112',
    'FROM node:20\nARG NPM_TOKEN\nRUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > .npmrc && npm ci && rm -f .npmrc',
  );
  passes(
    'DD112',
    'FROM debian:12\nRUN echo \'{"credsStore":"ecr-login"}\' > /root/.docker/config.json && echo "registry=https://npm.example.com/" > /root/.npmrc',
  );
  passes('DD112', 'FROM debian:12\nCOPY --from=build /root/.ssh/id_rsa.pub /root/.ssh/authorized_keys');
  passes('DD112', 'FROM debian:12\nCOPY authorized_keys id_ed25519.pub /home/app/.ssh/');
  passes(
    'DD112',
    'FROM debian:12\nCOPY ca.pem certs/server.pem rds-combined-ca-bundle.pem dhparam.pem /etc/ssl/',
  );
  passes(
    'DD112',
    'FROM debian:12\nCOPY nginx_signing.key /usr/share/keyrings/\nCOPY vendor.key /etc/apt/trusted.gpg.d/',
  );
  passes('DD112', 'FROM debian:12\nCOPY .env.example .env.sample ./');
  passes(
    'DD112',
    'FROM node:20 AS deps\nCOPY package.json .npmrc ./\nRUN npm ci\nFROM node:20\nCOPY --from=deps /node_modules ./',
  );
  passes(
    'DD112',
    'FROM debian:12\nADD https://example.com/ca.key.pem /tmp/x\nCOPY <<EOF /root/.npmrc\nfund=false\nEOF',
  );
  passes('DD112', 'FROM debian:12\nCOPY sshd_config /etc/ssh/sshd_config\nCOPY . /app');
});
