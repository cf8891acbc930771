import * as z from 'zod';
import { quoteInput } from '../errors.js';
import { compileGoRegex } from './go-regex.js';

const text = z.string().min(1);

// A regular expression in Go's syntax (what container-structure-test uses, RE2), refused here if RE2 refuses it.
const regex = z.string().superRefine((value, ctx) => {
  const problem = regexProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

function regexProblem(pattern: string): string | undefined {
  const compiled = compileGoRegex(pattern);
  return compiled.ok
    ? undefined
    : `${quoteInput(pattern)} is not a valid Go (RE2) regular expression: ${compiled.error}`;
}

const envVar = z.strictObject({ key: text, value: z.string() });

const keyValueCheck = z
  .strictObject({ key: text, value: z.string(), isRegex: z.boolean().default(false) })
  .superRefine((check, ctx) => {
    const problem = check.isRegex ? regexProblem(check.value) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

// One command with its arguments, as setup and teardown list them: [command, arg…].
const argv = z.array(z.string()).min(1);

/** A command run in the container, with what its output and exit code must be. */
export const CommandTestSchema = z.strictObject({
  name: text,
  setup: z.array(argv).default([]),
  teardown: z.array(argv).default([]),
  envVars: z.array(envVar).default([]),
  command: text,
  args: z.array(z.string()).default([]),
  expectedOutput: z.array(regex).default([]),
  excludedOutput: z.array(regex).default([]),
  expectedError: z.array(regex).default([]),
  excludedError: z.array(regex).default([]),
  exitCode: z.number().int().min(0).max(255).default(0),
});

/** Whether a path exists in the image, and its permissions and owner. */
export const FileExistenceTestSchema = z.strictObject({
  name: text,
  path: text,
  // container-structure-test reads a missing shouldExist as false; requiring it keeps a forgotten line from inverting the test.
  shouldExist: z.boolean(),
  permissions: z
    .string()
    .regex(/^[-dalTLDpSugct?bcs]*[-r][-w][-xsS][-r][-w][-xsS][-r][-w][-xtT]$/, {
      error: 'must be a mode string like "-rw-r--r--" or "drwxr-xr-x"',
    })
    .optional(),
  uid: z.number().int().min(0).optional(),
  gid: z.number().int().min(0).optional(),
  isExecutableBy: z.enum(['any', 'owner', 'group', 'other']).optional(),
});

/** What a file's contents must and must not match. */
export const FileContentTestSchema = z.strictObject({
  name: text,
  path: text,
  expectedContents: z.array(regex).default([]),
  excludedContents: z.array(regex).default([]),
});

/** What the image configuration must say; a field left out is not checked. */
export const MetadataTestSchema = z.strictObject({
  envVars: z.array(keyValueCheck).default([]),
  labels: z.array(keyValueCheck).default([]),
  exposedPorts: z.array(text).default([]),
  unexposedPorts: z.array(text).default([]),
  volumes: z.array(text).default([]),
  unmountedVolumes: z.array(text).default([]),
  entrypoint: z.array(z.string()).optional(),
  cmd: z.array(z.string()).optional(),
  workdir: z.string().optional(),
  user: z.string().optional(),
});

/** An image-tests.yaml document in the container-structure-test schema (version 2.0.0). */
export const ImageTestSuiteSchema = z.strictObject({
  schemaVersion: z.literal('2.0.0'),
  globalEnvVars: z.array(envVar).default([]),
  commandTests: z.array(CommandTestSchema).default([]),
  fileExistenceTests: z.array(FileExistenceTestSchema).default([]),
  fileContentTests: z.array(FileContentTestSchema).default([]),
  metadataTest: MetadataTestSchema.optional(),
});

export type CommandTest = z.infer<typeof CommandTestSchema>;
export type FileExistenceTest = z.infer<typeof FileExistenceTestSchema>;
export type FileContentTest = z.infer<typeof FileContentTestSchema>;
export type MetadataTest = z.infer<typeof MetadataTestSchema>;
export type ImageTestSuite = z.infer<typeof ImageTestSuiteSchema>;
