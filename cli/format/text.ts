import type { Finding } from '../../core/lint/engine.js';
import type { Level } from '../../core/lint/rule.js';

const COLOURS: Record<Level, string> = { error: '31', warning: '33', info: '36', style: '35' };

/** `file:line:col CODE level: message`, one per line, coloured when `colour` is set. */
export function formatText(findings: readonly Finding[], colour: boolean): string {
  return findings
    .map((f) => {
      const where = `${f.file === '-' ? '<stdin>' : f.file}:${f.line}:${f.column}`;
      const level = colour ? `\u001b[${COLOURS[f.level]}m${f.level}\u001b[0m` : f.level;
      const code = colour ? `\u001b[1m${f.code}\u001b[0m` : f.code;
      return `${where} ${code} ${level}: ${f.message}\n`;
    })
    .join('');
}
