/** Every rule id hadolint 2.x knows, so pragmas naming one that drydock lacks are not reported as typos. */
export const HADOLINT_IDS: ReadonlySet<string> = new Set([
  'DL1001',
  ...Array.from({ length: 63 }, (_, i) => `DL${3000 + i}`),
  'DL4000',
  'DL4001',
  'DL4003',
  'DL4004',
  'DL4005',
  'DL4006',
]);

/** ShellCheck ids (SCxxxx) that hadolint forwards; pragmas may name them. */
export const isShellcheckId = (id: string): boolean => /^SC\d{4}$/.test(id);
