import { describe, expect, it } from 'vitest';
import {
  APT_VALUE_FLAGS,
  aptOptions,
  isInstallSubcommand,
  listNames,
  pipArgs,
  subcommand,
} from '../../../core/lint/package-managers.js';

describe('package-manager argument helpers', () => {
  it('finds the subcommand past options and their values', () => {
    expect(subcommand(['-o', 'Debug::X=1', '-qq', 'install', '-y', 'curl'], APT_VALUE_FLAGS)).toEqual({
      name: 'install',
      before: ['-o', 'Debug::X=1', '-qq'],
      rest: ['-y', 'curl'],
    });
    expect(subcommand(['--option=A=1', 'update'], APT_VALUE_FLAGS)?.name).toBe('update');
    expect(subcommand(['-y', '--', 'install'], APT_VALUE_FLAGS)).toBeUndefined();
  });

  it('reads apt -o values in every spelling', () => {
    expect(
      aptOptions(['-o', 'A=1', '-oB=2', '-o=C=3', '--option', 'D=4', '--option=E=5', 'install']),
    ).toEqual(['A=1', 'B=2', 'C=3', 'D=4', 'E=5']);
  });

  it('returns the arguments pip receives, also through python -m pip', () => {
    expect(pipArgs({ tool: 'pip3.12', args: ['install', 'a'] })).toEqual(['install', 'a']);
    expect(pipArgs({ tool: 'python3', args: ['-u', '-m', 'pip', 'install', 'a'] })).toEqual(['install', 'a']);
    expect(pipArgs({ tool: 'python3', args: ['-m', 'venv', '/v'] })).toBeUndefined();
    expect(pipArgs({ tool: 'python', args: ['setup.py', '-m', 'pip'] })).toBeUndefined();
    expect(pipArgs({ tool: 'pipx', args: ['install', 'a'] })).toBeUndefined();
  });

  it('shortens long name lists', () => {
    expect(listNames(['a', 'b'])).toBe('`a`, `b`');
    expect(listNames(['a', 'b', 'c', 'd', 'e'])).toBe('`a`, `b`, `c` and 2 more');
  });
});

describe('INSTALL_SUBCOMMANDS', () => {
  it("lists npm's install aliases and typos, and none of its other commands", () => {
    for (const sub of [
      'install',
      'i',
      'in',
      'ins',
      'inst',
      'insta',
      'instal',
      'isnt',
      'isnta',
      'isntal',
      'isntall',
      'add',
    ]) {
      expect(isInstallSubcommand('npm', sub), sub).toBe(true);
    }
    for (const sub of ['ci', 'info', 'uninstall', 'update', 'run', 'exec', 'installs', undefined]) {
      expect(isInstallSubcommand('npm', sub), String(sub)).toBe(false);
    }
  });

  it('names each manager by its own verbs', () => {
    expect(isInstallSubcommand('apk', 'add')).toBe(true);
    expect(isInstallSubcommand('apk', 'install')).toBe(false);
    expect(isInstallSubcommand('apt', 'reinstall')).toBe(true);
    expect(isInstallSubcommand('apt', 'download')).toBe(false);
    expect(isInstallSubcommand('gem', 'i')).toBe(true);
    expect(isInstallSubcommand('go', 'get')).toBe(true);
    expect(isInstallSubcommand('yarn', 'install')).toBe(false);
    expect(isInstallSubcommand('rpm', 'group install')).toBe(true);
    expect(isInstallSubcommand('rpm', 'in')).toBe(false);
  });
});
