import semver from 'semver';
import type { Ecosystem, Policy } from './schema.js';
import { tagVersion } from './tag-version.js';

/** An insecure-package entry that matched, with where it sits in the policy. */
export interface InsecurePackageMatch {
  readonly advisory: string;
  readonly ecosystem: Ecosystem;
  readonly name: string;
  readonly versions: readonly string[];
  readonly fixedIn?: string;
  readonly index: number;
  /** `insecurePackages[2]`. */
  readonly path: string;
}

// What package tools and scanners call the ecosystems the policy names.
const ALIASES: Readonly<Record<string, string>> = {
  'apt-get': 'apt',
  deb: 'apt',
  debian: 'apt',
  alpine: 'apk',
  yum: 'rpm',
  dnf: 'rpm',
  microdnf: 'rpm',
  zypper: 'rpm',
  pip3: 'pip',
  pypi: 'pip',
  python: 'pip',
  yarn: 'npm',
  pnpm: 'npm',
  rubygems: 'gem',
  mvn: 'maven',
};

/**
 * Returns the first insecure-package entry that lists `name` at `version` in `ecosystem`: exact versions compare as
 * written and after dropping the distribution revision (`1.0.1f-1` is 1.0.1f), ranges by semver, pre-releases included.
 */
export function insecurePackageMatch(
  policy: Policy,
  ecosystem: string,
  name: string,
  version: string,
): InsecurePackageMatch | undefined {
  const system = ALIASES[ecosystem.toLowerCase()] ?? ecosystem.toLowerCase();
  const candidates = [...new Set([version, upstreamVersion(system, version)])];
  const index = policy.insecurePackages.findIndex(
    (entry) =>
      (entry.ecosystem === 'any' || entry.ecosystem === system) &&
      sameName(system, entry.name, name) &&
      entry.versions.some((spec) => versionMatches(spec, candidates)),
  );
  const entry = policy.insecurePackages[index];
  if (!entry) return undefined;
  return {
    advisory: entry.advisory,
    ecosystem: entry.ecosystem,
    name: entry.name,
    versions: entry.versions,
    fixedIn: entry.fixedIn,
    index,
    path: `insecurePackages[${index}]`,
  };
}

function sameName(system: string, listed: string, name: string): boolean {
  if (system === 'pip') return pep503(listed) === pep503(name);
  if (system === 'maven' && !listed.includes(':')) return listed === (name.split(':')[1] ?? name);
  return listed.toLowerCase() === name.toLowerCase();
}

function pep503(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

// Drops the epoch and the packaging revision, which say how a distribution built the upstream version.
function upstreamVersion(system: string, version: string): string {
  if (system === 'apt' || system === 'rpm') {
    const noEpoch = version.replace(/^\d+:/, '');
    const dash = noEpoch.lastIndexOf('-');
    return dash > 0 ? noEpoch.slice(0, dash) : noEpoch;
  }
  if (system === 'apk') return version.replace(/-r\d+$/, '');
  return version;
}

function versionMatches(spec: string, candidates: readonly string[]): boolean {
  if (candidates.includes(spec)) return true;
  if (semver.validRange(spec) === null) return false;
  return candidates.some((candidate) => {
    const parsed = semver.valid(candidate) ?? tagVersion(candidate);
    return (
      parsed !== undefined && parsed !== null && semver.satisfies(parsed, spec, { includePrerelease: true })
    );
  });
}
