/** A value created on first use and shared after: for SDK clients a function needs only on its rare paths. */
export function lazy<T>(create: () => T | Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= Promise.resolve().then(create);
    return value;
  };
}
