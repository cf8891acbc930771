import { describe, expect, it } from 'vitest';
import { insecurePackageMatch } from '../../../core/policy/insecure-packages.js';
import { validatePolicy } from '../../../core/policy/parse-policy.js';

const policy = validatePolicy({
  version: 1,
  allowed: [],
  insecurePackages: [
    { ecosystem: 'apt', name: 'openssl', versions: '1.0.1f', advisory: 'CVE-2014-0160', fixedIn: '1.0.1g' },
    { ecosystem: 'any', name: 'log4j-core', versions: '>=2.0.0 <2.15.0', advisory: 'CVE-2021-44228' },
    { ecosystem: 'npm', name: 'lodash', versions: '<4.17.21', advisory: 'CVE-2021-23337' },
    { ecosystem: 'pip', name: 'PyYAML', versions: '<5.4', advisory: 'CVE-2020-14343' },
    { ecosystem: 'apk', name: 'busybox', versions: ['1.35.0', '1.36.0'], advisory: 'CVE-2022-48174' },
    { ecosystem: 'gem', name: 'rails', versions: '2.14', advisory: 'X-2.14' },
  ],
});

describe('insecurePackageMatch', () => {
  it.each<[string, string, string, string | undefined]>([
    ['apt', 'openssl', '1.0.1f', 'CVE-2014-0160'],
    ['apt', 'openssl', '1.0.1f-1', 'CVE-2014-0160'],
    ['apt-get', 'openssl', '1:1.0.1f-1ubuntu2.27', 'CVE-2014-0160'],
    ['apt', 'openssl', '1.0.1g-1', undefined],
    ['apt', 'openssl', '1.0.1', undefined],
    ['apk', 'openssl', '1.0.1f', undefined],
    ['maven', 'log4j-core', '2.14.1', 'CVE-2021-44228'],
    ['maven', 'org.apache.logging.log4j:log4j-core', '2.14.1', 'CVE-2021-44228'],
    ['npm', 'log4j-core', '2.14.0', 'CVE-2021-44228'],
    ['maven', 'log4j-core', '2.0.0-rc.1', undefined],
    ['maven', 'log4j-core', '2.15.0', undefined],
    ['npm', 'lodash', '4.17.20', 'CVE-2021-23337'],
    ['yarn', 'lodash', '4.17.21', undefined],
    ['npm', 'lodash', '4.17.21-rc.1', 'CVE-2021-23337'],
    ['pip', 'pyyaml', '5.3.1', 'CVE-2020-14343'],
    ['pip3', 'PyYAML', '5.4', undefined],
    ['pypi', 'py_yaml', '5.1', undefined],
    ['pip', 'py.yaml', '5.1', undefined],
    ['pip', 'pyyaml', '5.4b2', undefined],
    ['apk', 'busybox', '1.36.0-r5', 'CVE-2022-48174'],
    ['apk', 'busybox', '1.36.1-r0', undefined],
    ['gem', 'rails', '2.14.9', 'X-2.14'],
    ['gem', 'rails', '2.15.0', undefined],
  ])('matches %s %s@%s to %s', (ecosystem, name, version, advisory) => {
    expect(insecurePackageMatch(policy, ecosystem, name, version)?.advisory).toBe(advisory);
  });

  it('matches PEP 503 spellings of one pip name', () => {
    const pip = validatePolicy({
      version: 1,
      allowed: [],
      insecurePackages: [{ ecosystem: 'pip', name: 'ruamel.yaml', versions: '0.15.0', advisory: 'A' }],
    });
    expect(
      ['ruamel-yaml', 'Ruamel_Yaml', 'ruamel.yaml'].map(
        (n) => insecurePackageMatch(pip, 'pip', n, '0.15.0')?.advisory,
      ),
    ).toEqual(['A', 'A', 'A']);
  });

  it('returns the entry with its position and fix', () => {
    expect(insecurePackageMatch(policy, 'apt', 'openssl', '1.0.1f')).toEqual({
      advisory: 'CVE-2014-0160',
      ecosystem: 'apt',
      name: 'openssl',
      versions: ['1.0.1f'],
      fixedIn: '1.0.1g',
      index: 0,
      path: 'insecurePackages[0]',
    });
  });
});
