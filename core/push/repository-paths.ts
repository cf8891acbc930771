// A project path: `owner/repo` or `group/sub/project`, no empty, `.` or `..` segment that could climb the API path.
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** True when `project` is a plain project path that is safe to put into an API URL. */
export function isProjectPath(project: string): boolean {
  const segments = project.split('/');
  return segments.length >= 2 && segments.every((s) => SEGMENT.test(s) && !s.endsWith('.git'));
}

/** True for a relative file path with no empty, `.` or `..` segment, no backslash and no control character. */
export function isSafePath(path: string): boolean {
  if (path === '' || path.length > 1024 || path.includes('\\')) return false;
  // A control character (NUL, newline…) has no business in a path that goes into a URL and an S3 key.
  for (let i = 0; i < path.length; i++)
    if (path.charCodeAt(i) < 0x20 || path.charCodeAt(i) === 0x7f) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
