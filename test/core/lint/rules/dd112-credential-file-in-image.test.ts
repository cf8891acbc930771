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

const files = (entries: Record<string, string>) => ({ contextFiles: new Map(Object.entries(entries)) });
const PEM_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nAbCdEfGhIjKlMnOpQrStUvWxYz012345\n-----END PRIVATE KEY-----\n';
const CERT =
  '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQsw\n-----END CERTIFICATE-----\n';

describe('DD112 public material is not a private key (issue 10)', () => {
  passes('DD112', 'FROM nginx:1.27\nCOPY ffdhe2048.pem dhparam4096.pem dh2048.pem /etc/nginx/');
  passes('DD112', 'FROM debian:12\nCOPY signer_pub.pem public-key.pem release.pub.pem /etc/app/');
  passes('DD112', 'FROM debian:12\nCOPY cert-2025.pem mychain.pem ca-internal.pem fullchain.pem /etc/ssl/');
  passes('DD112', 'FROM debian:12\nCOPY tls.crt corp.cer deploy.pub /etc/ssl/');
  passes('DD112', 'FROM debian:12\nCOPY ssh/authorized_keys ssh/known_hosts /root/.ssh/');
  // Private halves named like public material are still keys.
  catches('DD112', 'FROM debian:12\nCOPY ca-key.pem /etc/ssl/private/');
  catches('DD112', 'FROM debian:12\nCOPY chain-private.pem /etc/ssl/');
  // The gate has the file: its text decides, whatever it is called.
  catches(
    'DD112',
    'FROM nginx:1.27\nCOPY tls/dhparam.pem /etc/nginx/dh.pem',
    files({ 'tls/dhparam.pem': PEM_KEY }),
  );
  catches('DD112', 'FROM debian:12\nCOPY conf/app.dat /etc/app/app.dat', files({ 'conf/app.dat': PEM_KEY }));
  passes('DD112', 'FROM haproxy:3\nCOPY server.pem /usr/local/etc/haproxy/', files({ 'server.pem': CERT }));
  passes(
    'DD112',
    'FROM debian:12\nCOPY dh.pem /etc/ssl/dh.pem',
    files({
      'dh.pem':
        '-----BEGIN DH PARAMETERS-----\nMIIBCAKCAQEA//////////+t+FRYortKmq/cViAnPTzx\n-----END DH PARAMETERS-----\n',
    }),
  );
  passes(
    'DD112',
    'FROM debian:12\nCOPY keys/ /root/.ssh/',
    files({
      'keys/authorized_keys': 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDx bot@ci\n',
      'keys/known_hosts': 'github.com ssh-ed25519 AAAAC3Nza\n',
    }),
  );
  catches(
    'DD112',
    'FROM debian:12\nCOPY keys/ /home/app/.ssh/',
    files({ 'keys/known_hosts': 'github.com ssh-ed25519 AAAAC3Nza\n', 'keys/deploy': PEM_KEY }),
  );
  // A source file that only mentions the header is not a key.
  passes(
    'DD112',
    'FROM node:20\nCOPY src/ /app/src/',
    files({ 'src/pem.ts': 'const RE = /-----BEGIN RSA PRIVATE KEY-----/;\nexport default RE;\n' }),
  );
});

describe('DD112 credential files at their well-known destinations', () => {
  catches('DD112', 'FROM debian:12\nCOPY ci/deploy-creds /root/.aws/credentials', { line: 2 });
  catches('DD112', 'FROM debian:12\nCOPY settings.ini /home/app/.aws/config');
  catches('DD112', 'FROM debian:12\nWORKDIR /root\nCOPY registry-login.json .docker/config.json');
  catches('DD112', 'FROM debian:12\nCOPY deploy-key /root/.ssh/id_ed25519_sk');
  catches('DD112', 'FROM debian:12\nCOPY gh /root/.ssh/id_github\nCOPY k /home/app/.ssh/deploy_key');
  catches(
    'DD112',
    'FROM debian:12\nARG KEY\nRUN echo "$KEY" > /root/.ssh/deploy_key && chmod 600 /root/.ssh/deploy_key',
  );
  passes('DD112', 'FROM debian:12\nRUN echo "" > /root/.ssh/id_github.pub && touch /root/.ssh/known_hosts');
  passes('DD112', 'FROM debian:12\nCOPY gh.pub /root/.ssh/id_github.pub\nCOPY cfg /root/.ssh/config');
  catches('DD112', 'FROM debian:12\nCOPY login.txt /root/.netrc\nCOPY db.txt /var/lib/postgresql/.pgpass');
  catches('DD112', 'FROM debian:12\nCOPY gitcreds /home/app/.git-credentials');
  catches('DD112', 'FROM debian:12\nCOPY ci-creds ${HOME}/.aws/credentials');
  catches('DD112', 'FROM debian:12\nCOPY build/config.json $APP_HOME/.docker/');
  passes(
    'DD112',
    'FROM debian:12\nCOPY app.json ${HOME}/.config/app/ \nCOPY cfg $APP_HOME/.docker/daemon.json',
  );
  catches('DD112', 'FROM debian:12\nCOPY cluster.yaml /root/.kube/config');
  catches('DD112', 'FROM debian:12\nCOPY prod-service-account.json /app/');
  passes(
    'DD112',
    'FROM debian:12\nCOPY aws-config /root/.aws/config',
    files({ 'aws-config': '[default]\nregion = eu-west-1\n' }),
  );
  catches(
    'DD112',
    'FROM debian:12\nCOPY aws-settings /root/.aws/config',
    files({ 'aws-settings': '[default]\naws_access_key_id = AKIAX\naws_secret_access_key = abc\n' }),
  );
  passes(
    'DD112',
    'FROM debian:12\nCOPY docker.json /root/.docker/config.json',
    files({ 'docker.json': '{"credHelpers":{"123.dkr.ecr.eu-west-1.amazonaws.com":"ecr-login"}}' }),
  );
  catches(
    'DD112',
    'FROM debian:12\nCOPY registry.json /root/.docker/config.json',
    files({ 'registry.json': '{"auths":{"r.example.com":{"auth":"ZGVwbG95Omh1bnRlcjI="}}}' }),
  );
  catches(
    'DD112',
    'FROM node:20\nCOPY npm.conf /root/.npmrc',
    files({ 'npm.conf': '//r.example.com/:_authToken=abc\n' }),
  );
  passes(
    'DD112',
    'FROM node:20\nWORKDIR /app\nCOPY .npmrc ./',
    files({ '.npmrc': '//r.example.com/:_authToken=${NPM_TOKEN}\nalways-auth=true\n' }),
  );
  catches(
    'DD112',
    'FROM node:20\nWORKDIR /srv\nCOPY .env ./',
    files({ '.env': 'NODE_ENV=production\nSTRIPE_KEY=sk_live_abcdefghijklmnop1234\n' }),
  );
  passes(
    'DD112',
    'FROM node:20\nWORKDIR /srv\nCOPY .env.production ./',
    files({ '.env.production': 'NODE_ENV=production\nDB_PASSWORD=\nPORT=8080\n' }),
  );
  passes(
    'DD112',
    'FROM node:20\nCOPY npmrc /root/.npmrc',
    files({ npmrc: 'registry=https://r.example.com/\nfund=false\n' }),
  );
  catches(
    'DD112',
    'FROM python:3.12\nCOPY config/pypi.cfg /root/.pypirc',
    files({ 'config/pypi.cfg': '[pypi]\nusername = __token__\npassword = pypi-abc\n' }),
  );
  // Any JSON holding a service account key, and a kubeconfig holding a client key, whatever they are called.
  catches(
    'DD112',
    'FROM debian:12\nCOPY app/gcp.json /etc/app/',
    files({
      'app/gcp.json':
        '{"type": "service_account", "project_id": "p", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIE\\n-----END PRIVATE KEY-----\\n"}',
    }),
  );
  passes(
    'DD112',
    'FROM debian:12\nCOPY app/wif.json /etc/app/',
    files({ 'app/wif.json': '{"type": "external_account", "audience": "//iam.googleapis.com/x"}' }),
  );
  catches(
    'DD112',
    'FROM debian:12\nCOPY deploy/cluster.yml /etc/app/',
    files({
      'deploy/cluster.yml':
        'apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ==\n',
    }),
  );
});

describe('DD112 credential files copied to a path a variable names', () => {
  catches('DD112', 'FROM debian:12\nCOPY config $AWS_CONFIG_FILE', { line: 2 });
  catches(
    'DD112',
    'FROM debian:12\nENV AWS_SHARED_CREDENTIALS_FILE=/etc/aws.conf\nCOPY creds ${AWS_SHARED_CREDENTIALS_FILE}',
  );
  catches('DD112', 'FROM debian:12\nCOPY key.json $GOOGLE_APPLICATION_CREDENTIALS');
  catches('DD112', 'FROM debian:12\nCOPY cluster $KUBECONFIG\nCOPY login.json $DOCKER_CONFIG/config.json');
  catches('DD112', 'FROM postgres:16\nCOPY pw.txt $POSTGRES_PASSWORD_FILE');
  catches(
    'DD112',
    'FROM debian:12\nCOPY gcp.json /secrets/gcp.json\nENV GOOGLE_APPLICATION_CREDENTIALS=/secrets/gcp.json',
    { line: 2 },
  );
  passes(
    'DD112',
    'FROM debian:12\nCOPY app.conf $APP_CONFIG_FILE\nCOPY ca.crt $SSL_CERT_FILE\nCOPY x $DOCKER_CONFIG/daemon.json',
  );
  passes(
    'DD112',
    'FROM debian:12\nENV GOOGLE_APPLICATION_CREDENTIALS=/run/secrets/gcp.json\nCOPY app.json /app/app.json',
  );
  passes(
    'DD112',
    'FROM debian:12\nCOPY aws.ini $AWS_CONFIG_FILE',
    files({
      'aws.ini': '[profile ci]\nrole_arn = arn:aws:iam::1:role/ci\ncredential_source = Ec2InstanceMetadata\n',
    }),
  );
});

describe('DD112 credential files written by echo, tee or a heredoc', () => {
  catches(
    'DD112',
    'FROM debian:12\nRUN cat <<EOF > /root/.pypirc\n[pypi]\nusername = __token__\npassword = pypi-abc\nEOF',
  );
  catches('DD112', 'FROM debian:12\nRUN echo "https://bot:tok3n@github.com" | tee /root/.git-credentials');
  catches(
    'DD112',
    'FROM debian:12\nRUN mkdir -p /root/.docker && tee /root/.docker/config.json <<EOF\n{"auths":{"r.example.com":{"auth":"ZGVwbG95Omh1bnRlcjI="}}}\nEOF',
  );
  catches('DD112', 'FROM debian:12\nCOPY <<EOF /root/.my.cnf\n[client]\npassword = hunter2\nEOF');
  passes('DD112', 'FROM debian:12\nRUN echo "https://github.com" | tee /root/.git-credentials-hosts');
  passes('DD112', 'FROM debian:12\nCOPY <<EOF /root/.my.cnf\n[client]\nuser = app\nEOF');
  passes('DD112', 'FROM debian:12\nRUN cat <<EOF > /root/.pypirc\n[distutils]\nindex-servers = pypi\nEOF');
});
