// The kernel's conntrack helpers behind each `expect-sync` keyword (spec CS-60, CS-63): H.323 is
// three helpers; NFS and SQL*net have none in the kernel, so they replicate nothing.
const HELPER_NAMES: Record<string, string[]> = {
  ftp: ['ftp'],
  sip: ['sip'],
  h323: ['RAS', 'Q.931', 'H.245'],
  nfs: [],
  sqlnet: [],
};

/** The kernel helper names whose expectations `expect-sync <values>` replicates. */
export function expectHelpers(values: readonly string[]): string[] {
  const keys = values.includes('all') ? Object.keys(HELPER_NAMES) : values;
  return [...new Set(keys.flatMap((k) => HELPER_NAMES[k] ?? []))];
}
