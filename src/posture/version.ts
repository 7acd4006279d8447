/** Dotted version numbers ("10.0.19045", "14.6.1"), compared number by number; a missing part is 0. */
export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/**
 * The first version number in a text: "Build 19045" gives 19045. From an OS name only a dotted version
 * counts ("macOS 14.6.1 Sonoma" gives 14.6.1; "Windows 11 Enterprise" names no version).
 */
export function versionIn(text: string, dotted = false): string | undefined {
  return (dotted ? /\d+(?:\.\d+)+/ : /\d+(?:\.\d+)*/).exec(text)?.[0];
}
