/** The file of black-box tests, read from the directory of the definition at the pushed commit. */
export const IMAGE_TESTS_FILE = 'image-tests.yaml';

/** The path of `image-tests.yaml` beside a definition: `services/api/Dockerfile` → `services/api/image-tests.yaml`. */
export function imageTestsPathFor(definition: string): string {
  const slash = definition.lastIndexOf('/');
  return slash < 0 ? IMAGE_TESTS_FILE : `${definition.slice(0, slash)}/${IMAGE_TESTS_FILE}`;
}
