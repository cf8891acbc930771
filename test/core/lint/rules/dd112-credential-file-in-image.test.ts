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
  // Private keys judged by where they land and by what is written, not only by the source name.
  catches('DD112', 'FROM debian:12\nCOPY deploy_key /root/.ssh/id_rsa', { line: 2 });
  catches('DD112', 'FROM debian:12\nCOPY build/github-deploy /home/app/.ssh/id_ed25519', { line: 2 });
  catches('DD112', 'FROM debian:12\nRUN echo "-----BEGIN OPENSSH PRIVATE KEY-----abc" > /root/.ssh/id_rsa', {
    line: 2,
  });
  catches('DD112', 'FROM debian:12\nRUN echo "-----BEGIN RSA PRIVATE KEY-----\\nMIIE" > /etc/app/signer');
  catches('DD112', 'FROM debian:12\nARG SSH_KEY\nRUN echo "$SSH_KEY" > /root/.ssh/id_rsa', { line: 3 });
  catches('DD112', 'FROM debian:12\nARG SSH_KEY\nRUN printf "%s\\n" "${SSH_KEY}" | tee ~/.ssh/id_ed25519');
  catches('DD112', 'FROM debian:12\nRUN cp /tmp/build/id_rsa /root/.ssh/id_rsa', { line: 2 });
  catches('DD112', 'FROM debian:12\nRUN mkdir -p /root/.ssh && mv /tmp/deploy /root/.ssh/id_ecdsa');
  catches('DD112', 'FROM debian:12\nRUN install -m 600 /tmp/k /home/app/.ssh/id_rsa');
  catches('DD112', 'FROM debian:12\nRUN cp /tmp/keys/id_rsa /root/.ssh/');
  catches(
    'DD112',
    '# syntax=docker/dockerfile:1\nFROM debian:12\nCOPY <<EOF /root/.ssh/id_rsa\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\nEOF',
    { line: 3 },
  );
  catches(
    'DD112',
    'FROM debian:12 AS build\nRUN cp /tmp/id_rsa /root/.ssh/id_rsa && git clone git@github.com:o/r.git\nFROM debian:12\nCOPY --from=build /r /r',
    { line: 2 },
  );
  passes(
    'DD112',
    'FROM debian:12\nCOPY deploy_key.pub /root/.ssh/id_rsa.pub\nCOPY keys.txt /root/.ssh/authorized_keys',
  );
  passes(
    'DD112',
    'FROM debian:12\nRUN echo "ssh-rsa AAAAB3NzaC1yc2E bot@ci" >> /root/.ssh/authorized_keys && ssh-keyscan github.com >> /root/.ssh/known_hosts',
  );
  passes(
    'DD112',
    'FROM debian:12\nCOPY known_hosts /root/.ssh/known_hosts\nCOPY ssh_config /root/.ssh/config',
  );
  passes('DD112', 'FROM debian:12\nRUN cp /root/.ssh/id_rsa.pub /root/.ssh/authorized_keys');
  passes(
    'DD112',
    'FROM debian:12\nARG SSH_KEY\nRUN echo "$SSH_KEY" > /root/.ssh/id_rsa && git clone git@github.com:o/r.git && rm -f /root/.ssh/id_rsa',
  );
  passes(
    'DD112',
    'FROM debian:12\nRUN --mount=type=secret,id=key cp /run/secrets/key /root/.ssh/id_rsa && git clone git@github.com:o/r.git && shred -u /root/.ssh/id_rsa',
  );
  passes(
    'DD112',
    'FROM debian:12\nRUN --mount=type=tmpfs,target=/root/.ssh cp /run/secrets/key /root/.ssh/id_rsa',
  );
  passes('DD112', 'FROM debian:12\nRUN echo "" > /root/.ssh/id_rsa.pub && touch /root/.ssh/known_hosts');
  passes('DD112', 'FROM debian:12\nRUN ln -s /run/secrets/deploy_key /root/.ssh/id_rsa');
});
