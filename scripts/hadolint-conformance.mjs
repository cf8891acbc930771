// Agreement of drydock's DL rules with hadolint's own rule tests (../shared/conformance/hadolint-cases.json).
// Usage: node scripts/hadolint-conformance.mjs [--cases FILE] [--rule DL3008] [--verbose]
// Same method as the shared runner: every case of every DL rule drydock lists (except rules that
// need configuration) is linted; a case agrees when the rule fires for "catches" and not for "not".
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i < 0 ? undefined : argv[i + 1];
};
const casesFile = opt('--cases') ?? join(root, '..', 'shared', 'conformance', 'hadolint-cases.json');
if (!existsSync(casesFile)) {
  // In CI the data is laid beside the clone; missing data there means the gate did not run, which is a failure.
  console.log(`no conformance data at ${casesFile}${process.env.CI ? '' : '; skipped'}`);
  process.exit(process.env.CI ? 1 : 0);
}
const onlyRule = opt('--rule');
const verbose = argv.includes('--verbose');
const bin = join(root, 'bin', 'drydock.js');
const needsConfig = new Set(['DL1001', 'DL3026', ...Array.from({ length: 10 }, (_, i) => `DL${3049 + i}`)]);
const ids = JSON.parse(
  execFileSync(process.execPath, [bin, 'rules', '--format', 'json'], { encoding: 'utf8' }),
).map((r) => r.id);
const dl = ids
  .filter((id) => id.startsWith('DL') && !needsConfig.has(id) && (!onlyRule || id === onlyRule))
  .sort();
const cases = JSON.parse(readFileSync(casesFile, 'utf8')).cases.filter((c) => dl.includes(c.rule));
const tmp = mkdtempSync(join(tmpdir(), 'drydock-hadolint-'));
const paths = cases.map((c) => {
  const p = join(tmp, `${c.id}.Dockerfile`);
  writeFileSync(p, c.dockerfile);
  return p;
});
const found = new Map();
for (let i = 0; i < paths.length; i += 400) {
  let out;
  try {
    out = execFileSync(
      process.execPath,
      [bin, 'lint', '--format', 'json', '--no-fail', ...paths.slice(i, i + 400)],
      {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
  } catch (err) {
    out = err.stdout;
  }
  for (const f of JSON.parse(out)) {
    const id = basename(f.file).replace(/\.Dockerfile$/, '');
    if (!found.has(id)) found.set(id, new Set());
    found.get(id).add(f.code);
  }
}
rmSync(tmp, { recursive: true, force: true });
const perRule = new Map();
let agree = 0;
for (const c of cases) {
  const hit = found.get(c.id)?.has(c.rule) ?? false;
  const ok = hit === (c.expect === 'catches');
  const r = perRule.get(c.rule) ?? { n: 0, ok: 0 };
  r.n++;
  if (ok) {
    r.ok++;
    agree++;
  } else if (verbose) {
    console.log(
      `--- ${c.rule} ${c.expect === 'catches' ? 'MISSED' : 'FALSE POSITIVE'} (${c.test}, ${c.source})`,
    );
    console.log(c.dockerfile);
  }
  perRule.set(c.rule, r);
}
for (const [rule, r] of [...perRule].sort()) {
  if (r.ok < r.n || verbose) console.log(`${rule}: ${r.ok}/${r.n}`);
}
const rate = cases.length ? agree / cases.length : 0;
const summary = { rules: dl.length, cases: cases.length, agreement_pct: Math.round(rate * 1000) / 10 };
console.log(
  `hadolint agreement ${summary.agreement_pct}% on ${cases.length} cases over ${dl.length} DL rules`,
);
console.log(JSON.stringify(summary));
process.exit(rate >= 0.95 && dl.length >= 40 ? 0 : 1);
