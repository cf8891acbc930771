/** True when an exception's `expires` date (YYYY-MM-DD, valid through that whole day in UTC) has passed at `now`. */
export function isExpired(expires: string, now: Date): boolean {
  const [y, m, d] = expires.split('-').map(Number) as [number, number, number];
  return now.getTime() >= Date.UTC(y, m - 1, d + 1);
}
