import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';
import { createContext } from '../../../core/lint/context.js';
import {
  cleansAll,
  DNF_COMMANDS,
  FILLS_DNF_CACHE,
  missingAssumeYes,
  RPM_CACHE_DIRS,
  rpmCall,
  uncleanedCaches,
  unpinnedInstalls,
} from '../../../core/lint/rpm-package-managers.js';

const ctxOf = (text: string) => createContext(parseDockerfile(text).model, {})('t');
const prompting = (text: string, commands: readonly string[]) =>
  missingAssumeYes(ctxOf(text), commands).map((c) => `${c.run.tool} ${c.verb}`);
const unpinned = (text: string, commands: readonly string[]) =>
  unpinnedInstalls(ctxOf(text), commands).map(({ call, unpinned }) => [
    call.verb,
    unpinned.map((w) => w.value),
  ]);
const DNF_CACHE = {
  fillers: DNF_COMMANDS,
  cleaners: ['yum'],
  fills: FILLS_DNF_CACHE,
  dirs: RPM_CACHE_DIRS.dnf,
  empties: cleansAll,
};
const uncleaned = (text: string) =>
  uncleanedCaches(ctxOf(text), DNF_CACHE).map(
    (c) => `${c.run.instruction.loc.line}: ${c.run.tool} ${c.verb}`,
  );

describe('rpmCall', () => {
  it('resolves aliases and skips options with values', () => {
    const [run] = missingAssumeYes(ctxOf('FROM fedora:40\nRUN dnf --setopt x=1 in curl'), DNF_COMMANDS);
    expect(run && { tool: run.tool, verb: run.verb, operands: run.operands.map((w) => w.value) }).toEqual({
      tool: 'dnf',
      verb: 'install',
      operands: ['curl'],
    });
    expect(rpmCall({ ...run!.run, tool: 'apt-get' })).toBeUndefined();
  });
});

describe('missingAssumeYes', () => {
  it('returns the calls that would stop at the prompt', () => {
    expect(
      prompting('FROM fedora:40\nRUN dnf install curl && microdnf groupinstall x', DNF_COMMANDS),
    ).toEqual(['dnf install', 'microdnf group install']);
  });

  it('accepts -y, --assumeyes, assumeyes=1 and yes |', () => {
    expect(
      prompting('FROM fedora:40\nRUN dnf -qy install a && dnf --assumeyes remove b', DNF_COMMANDS),
    ).toEqual([]);
    expect(prompting('FROM fedora:40\nRUN dnf --setopt=assumeyes=True upgrade', DNF_COMMANDS)).toEqual([]);
    expect(prompting('FROM fedora:40\nRUN yes | dnf install a', DNF_COMMANDS)).toEqual([]);
  });

  it('ignores subcommands that do not prompt and commands not asked for', () => {
    expect(prompting('FROM fedora:40\nRUN dnf makecache && dnf clean all', DNF_COMMANDS)).toEqual([]);
    expect(prompting('FROM centos:7\nRUN yum install a', DNF_COMMANDS)).toEqual([]);
    expect(prompting('FROM centos:7\nRUN yum install a && dnf install b', ['yum'])).toEqual(['yum install']);
  });
});

describe('unpinnedInstalls', () => {
  it('lists the packages and modules named without a version or stream', () => {
    expect(unpinned('FROM fedora:40\nRUN dnf install -y a b-1.2 "c>=2" ./d.rpm e', DNF_COMMANDS)).toEqual([
      ['install', ['a', 'e']],
    ]);
    expect(unpinned('FROM fedora:40\nRUN dnf module install -y nodejs nginx:1.24', DNF_COMMANDS)).toEqual([
      ['module install', ['nodejs']],
    ]);
  });

  it('takes groups, capabilities and pinned build arguments as pinned', () => {
    const text =
      'FROM fedora:40\nARG V=1.2\nRUN dnf install -y @web-server "dnf-command(config-manager)" a-$V';
    expect(unpinned(text, DNF_COMMANDS)).toEqual([]);
  });

  it('reads only installs of the commands asked for', () => {
    expect(unpinned('FROM fedora:40\nRUN dnf upgrade -y a && yum install -y b', DNF_COMMANDS)).toEqual([]);
    expect(unpinned('FROM centos:7\nRUN yum install -y b', ['yum'])).toEqual([['install', ['b']]]);
  });
});

describe('uncleanedCaches', () => {
  it('returns the last filling call of each RUN that leaves the cache behind', () => {
    expect(uncleaned('FROM fedora:40\nRUN dnf install -y a && dnf upgrade -y\nRUN dnf install -y b')).toEqual(
      ['2: dnf upgrade', '3: dnf install'],
    );
  });

  it('accepts a later clean, rm of the cache directory or a cache mount', () => {
    expect(uncleaned('FROM fedora:40\nRUN dnf install -y a && yum clean all')).toEqual([]);
    expect(uncleaned('FROM fedora:40\nRUN dnf install -y a && rm -rf /var/cache/dnf/*')).toEqual([]);
    expect(
      uncleaned('FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y a'),
    ).toEqual([]);
  });

  it('does not take a clean before the install, or in another RUN', () => {
    expect(uncleaned('FROM fedora:40\nRUN dnf clean all && dnf install -y a')).toEqual(['2: dnf install']);
    expect(uncleaned('FROM fedora:40\nRUN dnf install -y a\nRUN dnf clean all')).toEqual(['2: dnf install']);
  });

  it('asks the rule whether a clean empties the cache that was filled', () => {
    const own = { ...DNF_CACHE, empties: () => false };
    expect(uncleanedCaches(ctxOf('FROM fedora:40\nRUN dnf install -y a && dnf clean all'), own)).toHaveLength(
      1,
    );
  });

  it('skips stages that do not reach the final image, but not ONBUILD triggers', () => {
    expect(
      uncleaned('FROM fedora:40 AS build\nRUN dnf install -y a\nFROM scratch\nCOPY --from=build /a /a'),
    ).toEqual([]);
    expect(uncleaned('FROM fedora:40 AS build\nONBUILD RUN dnf install -y a\nFROM scratch')).toEqual([
      '2: dnf install',
    ]);
  });
});
