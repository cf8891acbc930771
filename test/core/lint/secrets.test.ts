import { describe, expect, it } from 'vitest';
import {
  credentialFile,
  credentialVariable,
  publicMaterialName,
  publicMaterialText,
  secretName,
  secretShape,
  valueSecretReason,
} from '../../../core/lint/secrets.js';

describe('secrets', () => {
  it('names token shapes and chat webhooks by what they are', () => {
    expect(secretShape('x=ghp_16C7e42F292c6912E7710c838347Ae178B4a')).toBe('a GitHub token');
    expect(secretShape('https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx')).toBe(
      'a Slack webhook URL',
    );
    expect(secretShape('AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q')).toBe('a Google API key');
    expect(secretShape('https://hooks.slack.com/ ghp_short sk_test_abc')).toBeUndefined();
  });

  it('reads Jenkins X_PSW as a secret name and X_USR, GIT_CONFIG_KEY_0 and PWD as not', () => {
    expect(secretName('DEPLOY_PSW')).toBe(true);
    expect(secretName('DEPLOY_USR')).toBe(false);
    expect(secretName('GIT_CONFIG_KEY_0')).toBe(false);
    expect(secretName('PWD')).toBe(false);
  });

  it('does not take a path, a version or a placeholder for a secret value', () => {
    expect(valueSecretReason('GOOGLE_APPLICATION_CREDENTIALS', './key.json')).toBeUndefined();
    expect(valueSecretReason('DOCKER_AUTH_VERSION', '1.5.0')).toBeUndefined();
    expect(valueSecretReason('SECRET_KEY_BASE', '$(cat /run/secrets/k)')).toBeUndefined();
    expect(valueSecretReason('DB_PASSWORD', 'changeme')).toMatch(/named like a secret/);
  });

  it('tells public material from private keys by name and by text', () => {
    for (const p of [
      'ffdhe2048.pem',
      'dhparam.pem',
      'id_rsa.pub',
      'signer_pub.pem',
      'fullchain.pem',
      'ca.pem',
    ])
      expect(publicMaterialName(p), p).toBe(true);
    for (const p of ['ca-key.pem', 'privkey.pem', 'server.pem']) expect(publicMaterialName(p), p).toBe(false);
    expect(publicMaterialText('-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----\n')).toBe(true);
    expect(publicMaterialText('github.com ssh-ed25519 AAAAC3Nza\n')).toBe(true);
    expect(publicMaterialText('-----BEGIN CERTIFICATE-----\n-----BEGIN EC PRIVATE KEY-----\n')).toBe(false);
  });

  it('knows credential destinations and the variables that name them', () => {
    expect(credentialFile('/root/.aws/credentials')?.what).toBe('AWS credentials');
    expect(credentialFile('/home/app/.ssh/authorized_keys')).toBeUndefined();
    expect(credentialVariable('DOCKER_CONFIG', '/config.json')?.what).toBe('Docker registry credentials');
    expect(credentialVariable('DOCKER_CONFIG', '/daemon.json')).toBeUndefined();
    expect(credentialVariable('POSTGRES_PASSWORD_FILE')).toBeDefined();
    expect(credentialVariable('APP_CONFIG_FILE')).toBeUndefined();
  });

  it('stays linear on long words an attacker writes (no rescanning from every boundary)', () => {
    for (const word of ['a-'.repeat(20000), 'a.'.repeat(20000), 'a+'.repeat(20000), 'x://a:'.repeat(6000)]) {
      const started = performance.now();
      secretShape(word);
      valueSecretReason('API_TOKEN', word);
      expect(performance.now() - started, word.slice(0, 6)).toBeLessThan(1000);
    }
  });
});
