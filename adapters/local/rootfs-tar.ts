/**
 * The `tar` arguments that pack a rootfs directory as a base is made from: owners as ids, extended attributes
 * (file capabilities), one file system; `file` may be `-` for standard output.
 */
export function rootfsTarArgs(file: string, directory: string): string[] {
  return [
    '--create',
    '--file',
    file,
    // Owners as ids: the names may mean other ids inside the image than on this machine.
    '--numeric-owner',
    '--xattrs',
    '--xattrs-include=*',
    '--format=pax',
    '--sort=name',
    // A mount left inside the rootfs (a chroot's /proc) is not part of it.
    '--one-file-system',
    '--directory',
    directory,
    '.',
  ];
}
