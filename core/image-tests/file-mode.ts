const S_IFMT = 0o170000;

// File types of `st_mode`: the letters of Go's FileMode notation and of ls.
const FILE_TYPES: readonly { bits: number; go: string; ls: string }[] = [
  { bits: 0o140000, go: 'S', ls: 's' }, // socket
  { bits: 0o120000, go: 'L', ls: 'l' }, // symbolic link
  { bits: 0o100000, go: '', ls: '-' }, // regular file
  { bits: 0o060000, go: 'D', ls: 'b' }, // block device
  { bits: 0o040000, go: 'd', ls: 'd' }, // directory
  { bits: 0o020000, go: 'Dc', ls: 'c' }, // character device
  { bits: 0o010000, go: 'p', ls: 'p' }, // named pipe
];

const fileType = (mode: number) => FILE_TYPES.find((t) => t.bits === (mode & S_IFMT));

/** A raw `st_mode` as Go's `os.FileMode.String()` writes it (`-rwxr-xr-x`, `dtrwxrwxrwx`, `urwxr-xr-x`). */
export function goModeString(mode: number): string {
  const type = fileType(mode)?.go ?? '?';
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
  const chars = [...permissionBits(mode)];
  const special = (index: number, bit: number, set: string) => {
    if (mode & bit) chars[index] = chars[index] === 'x' ? set : set.toUpperCase();
  };
  special(2, 0o4000, 's');
  special(5, 0o2000, 's');
  special(8, 0o1000, 't');
  return `${fileType(mode)?.ls ?? '?'}${chars.join('')}`;
}

function permissionBits(mode: number): string {
  return [...'rwxrwxrwx'].map((c, i) => (mode & (1 << (8 - i)) ? c : '-')).join('');
}
