import { isTarArchiveName, transferArgs } from '../../dockerfile/command-args.js';
import { defineRule } from '../rule.js';

// ADD fetches URLs (http, https, git) itself; COPY cannot.
const isRemote = (src: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(src) || /^git@/.test(src);

export const copyNotAdd = defineRule({
  id: 'DL3020',
  level: 'error',
  title: 'Use COPY instead of ADD for files and folders',
  rationale:
    'ADD also fetches URLs and unpacks tar archives; used for plain files it hides which of those was meant, and a source that later becomes an archive is silently unpacked. COPY does only the copy.',
  check: (ctx) =>
    ctx.of('ADD').flatMap((inst) => {
      const plain = (transferArgs(inst)?.sources ?? []).filter(
        // Variables are only known at build time, and heredocs are inline text: neither can be judged.
        (src) => !src.includes('$') && !src.startsWith('<<') && !isRemote(src) && !isTarArchiveName(src),
      );
      if (plain.length === 0) return [];
      return [
        ctx.finding(
          inst,
          `Use COPY instead of ADD for files and folders: ${plain.map((s) => `\`${s}\``).join(', ')} is neither a URL nor a tar archive ADD would unpack`,
        ),
      ];
    }),
});
