import * as semver from 'semver';
import { show } from './problems';
import { INVALID, string, Validator } from './schema';

/** RFC 1123 label: what Kubernetes accepts for namespaces and most object names. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: what Kubernetes accepts for ConfigMap and Secret names. */
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Go duration as Flux parses it: `10m`, `1h30m`, `90s`. */
const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;
/** A Kubernetes release: `1.22.8` or `v1.22.8`, no pre-release. */
const KUBERNETES_VERSION = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
/** A DKP release: `2.2.1`. */
const RELEASE_VERSION = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export const MAX_NAME_LENGTH = 63;

export function dnsLabelProblem(value: string): string | undefined {
  if (value.length > MAX_NAME_LENGTH || !DNS_LABEL.test(value)) {
    return `${show(value)} is not a valid name; use 1 to ${MAX_NAME_LENGTH} lowercase letters, digits and '-', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** A Kubernetes object name or namespace (RFC 1123 label, at most 63 characters). */
export function dnsLabel(): Validator<string> {
  return string({ describe: 'a name', check: dnsLabelProblem, maxLength: 253 });
}

/** A ConfigMap/Secret name (RFC 1123 subdomain, at most 253 characters). */
export function dnsSubdomain(): Validator<string> {
  return string({
    describe: 'a name',
    maxLength: 253,
    check: (v) => (DNS_SUBDOMAIN.test(v)
      ? undefined
      : `${show(v)} is not a valid object name; use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`),
  });
}

export function duration(): Validator<string> {
  return string({
    describe: 'a duration such as 10m',
    maxLength: 32,
    check: (v) => (DURATION.test(v) ? undefined : `${show(v)} is not a duration; use a number with a unit (ms, s, m, h), such as 90s, 10m or 1h30m`),
  });
}

/**
 * Parses a Go duration to milliseconds (only the subset {@link duration} accepts).
 */
export function durationMillis(value: string): number {
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60000, h: 3600000 };
  let total = 0;
  for (const m of value.matchAll(/([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g)) {
    total += Number(m[1]) * unit[m[2]];
  }
  return total;
}

/** A Kubernetes version; the leading `v` is accepted and dropped. */
export function kubernetesVersion(): Validator<string> {
  const check = string({
    describe: 'a Kubernetes version such as 1.22.8',
    maxLength: 32,
    // semver.valid also refuses numbers past Number.MAX_SAFE_INTEGER, which semver's comparisons would throw on.
    check: (v) => (KUBERNETES_VERSION.test(v) && semver.valid(v) !== null
      ? undefined
      : `${show(v)} is not a Kubernetes version; expected MAJOR.MINOR.PATCH such as 1.22.8`),
  });
  return (value, path, problems) => {
    // YAML reads 1.22 as a number; say what to write instead of "expected a string".
    if (typeof value === 'number') {
      problems.add(path, `${show(value)} is not a Kubernetes version; expected MAJOR.MINOR.PATCH such as 1.22.8`);
      return INVALID;
    }
    const r = check(value, path, problems);
    return typeof r === 'string' ? r.replace(/^v/, '') : r;
  };
}

/** A DKP release version such as 2.2.1. */
export function releaseVersion(): Validator<string> {
  return (value, path, problems) => {
    const v = typeof value === 'number' ? String(value) : value;
    return string({
      describe: 'a DKP release such as 2.2.1',
      maxLength: 32,
      check: (s) => (RELEASE_VERSION.test(s) && semver.valid(s) !== null
        ? undefined
        : `${show(value)} is not a DKP release; expected MAJOR.MINOR.PATCH such as 2.2.1`),
    })(v, path, problems);
  };
}

/** A semver range such as `>=1.21.0 <1.23.0`. */
export function versionRange(): Validator<string> {
  return string({
    describe: 'a version range such as ">=1.21.0 <1.23.0"',
    maxLength: 256,
    check: (v) => (semver.validRange(v) !== null && v.trim() !== ''
      ? undefined
      : `${show(v)} is not a version range; use a semver range such as ">=1.21.0 <1.23.0"`),
  });
}

/** An application version as Kommander names it (the directory name, usually semver). */
export function appVersion(): Validator<string> {
  return (value, path, problems) => {
    const v = typeof value === 'number' ? String(value) : value;
    return string({
      describe: 'a version such as 0.20.2',
      maxLength: 64,
      check: (s) => (semver.valid(s) !== null ? undefined : `${show(value)} is not a version; expected MAJOR.MINOR.PATCH such as 0.20.2`),
    })(v, path, problems);
  };
}

/** A relative path inside the Git repository, such as `./dist`. */
export function repositoryPath(): Validator<string> {
  return string({
    describe: 'a path such as ./dist',
    maxLength: 512,
    check: (v) => {
      const parts = v.replace(/^\.\//, '').split('/').filter((p) => p !== '' && p !== '.');
      if (v.startsWith('/') || parts.includes('..') || !/^[A-Za-z0-9._/-]+$/.test(v)) {
        return `${show(v)} is not a path inside the repository; use a relative path of letters, digits, '.', '_', '-' and '/', without '..', such as ./dist`;
      }
      return undefined;
    },
  });
}

/** Normalises a repository path to `./a/b` form (no trailing slash). */
export function normalizeRepositoryPath(v: string): string {
  const parts = v.split('/').filter((p) => p !== '' && p !== '.');
  return parts.length === 0 ? '.' : `./${parts.join('/')}`;
}

/** Minor version of a `MAJOR.MINOR.PATCH` string: `1.22.8` → `1.22`. */
export function minorOf(version: string): string {
  const [major, minor] = version.replace(/^v/, '').split('.');
  return `${major}.${minor}`;
}

/** Compares minors: negative when a < b. */
export function compareMinor(a: string, b: string): number {
  const [am, an] = minorOf(a).split('.').map(Number);
  const [bm, bn] = minorOf(b).split('.').map(Number);
  return am !== bm ? am - bm : an - bn;
}
