import { describe, expect, it } from 'vitest';
import { networkCoverage, openToInternet, parseNetwork } from '../../../core/lint/network-set.js';

const open = (...patterns: string[]) => openToInternet(networkCoverage(patterns));

describe('parseNetwork', () => {
  it('reads IPv4 networks, short forms and dotted masks', () => {
    expect(parseNetwork('10.1.2.3/8')?.range).toEqual({ start: 10n << 24n, end: (11n << 24n) - 1n });
    expect(parseNetwork('10/8')).toEqual(parseNetwork('10.0.0.0/8'));
    expect(parseNetwork('1.2.3.4/255.255.0.0')).toEqual(parseNetwork('1.2.0.0/16'));
    expect(parseNetwork('1.2.3.4')?.range.start).toBe(parseNetwork('1.2.3.4')?.range.end);
  });

  it('reads IPv6 networks, bracketed and with a dotted tail', () => {
    expect(parseNetwork('[::1]/128')?.range).toEqual({ start: 1n, end: 1n });
    expect(parseNetwork('[::ffff:0.0.0.0]/96')).toEqual(parseNetwork('::ffff:0:0/96'));
    expect(parseNetwork('2001:db8::/32')?.family).toBe(6);
  });

  it('refuses what is not a network', () => {
    for (const bad of [
      'example.com',
      '256.1.1.1',
      '1.2.3.4/33',
      '1.2.3.4/255.0.255.0',
      ':::1',
      '/etc/x',
      'cidr:/x',
    ]) {
      expect(parseNetwork(bad), bad).toBeUndefined();
    }
  });
});

describe('openToInternet', () => {
  it.each([
    ['0.0.0.0/0'],
    ['0/0'],
    ['0.0.0.0/0.0.0.0'],
    ['*'],
    ['::/0'],
    ['[::]/0'],
    ['[::ffff:0.0.0.0]/96'],
    ['0.0.0.0/1', '128.0.0.0/1'],
    ['127.0.0.0/8', '0.0.0.0/2', '64.0.0.0/2', '128.0.0.0/2', '192.0.0.0/2'],
    // Everyone but one address is still everyone.
    ['!8.8.8.8', '0.0.0.0/0'],
    ['0.0.0.0/1'],
    ['2000::/3'],
  ])('%s is open to the Internet', (...patterns) => {
    expect(open(...patterns)).toBeDefined();
  });

  it.each([
    ['10.0.0.0/8', '127.0.0.0/8'],
    [
      '127.0.0.0/8',
      '[::1]/128',
      '172.16.0.0/12',
      '192.168.0.0/16',
      '100.64.0.0/10',
      '[fc00::]/7',
      '[fe80::]/10',
    ],
    ['203.0.113.0/24', '2001:db8:1234::/48'],
    ['!0.0.0.0/0', '0.0.0.0/0'],
    ['example.com', 'cidr:/etc/postfix/network_table'],
  ])('%s is not', (...patterns) => {
    expect(open(...patterns)).toBeUndefined();
  });

  it('says which family is open', () => {
    expect(open('0.0.0.0/0')).toBe('covers every IPv4 address');
    expect(open('0.0.0.0/0', '::/0')).toBe('covers every address');
  });
});
