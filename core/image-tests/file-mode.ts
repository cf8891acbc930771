const S_IFMT = 0o170000;
const TYPES: Record<number, string> = {
  26411: 'S', // socket
  21609: 'L', // symbolic link
  16807: '',
  14406: 'D', // block device
  9604: 'd',
  4802: 'Dc', // character device
  2401: 'p', // named pipe
};

/** A raw `st_mode` as Go's `os.FileMode.String()` writes it (`-rwxr-xr-x`, `dtrwxrwxrwx`, `urwxr-xr-x`). */
export function goModeString(mode: number): string {
  const type = TYPES[mode & S_IFMT] ?? '?';
  // Go orders the letters dalTLDpSugct?; of those a stat gives d L D p S, then u g for setuid/setgid, c, t.
  let letters = type.replace('c', '');
  if (mode & 0o4000) letters += 'u';
  if (mode & 0o2000) letters += 'g';
  if (type.includes('c')) letters += 'c';
  if (mode & 0o1000) letters += 't';
  return `${letters || '-'}${permissionBits(mode)}`;
}

/** A raw `st_mode` as `ls -l` and `stat -c %A` write it (`-rwxr-xr-x`, `drwxrwxrwt`). */
export function lsModeString(mode: number): string {
  const types: Record<number, string> = {
    26411: 's',
    21609: 'l',
    16807: '-',
    14406: 'b',
    9604: 'd',
    4802: 'c',
    2401: 'p',
  };
  const chars = [...permissionBits(mode)];
  const special = (index: number, bit: number, set: string) => {
    if (mode & bit) chars[index] = chars[index] === 'x' ? set : set.toUpperCase();
  };
  special(2, 0o4000, 's');
  special(5, 0o2000, 's');
  special(8, 0o1000, 't');
  return `${types[mode & S_IFMT] ?? '?'}${chars.join('')}`;
}

function permissionBits(mode: number): string {
  const rwx = 'rwxrwxrwx';
  return [...rwx].map((c, i) => (mode & (1 << (8 - i)) ? c : '-')).join('');
}
