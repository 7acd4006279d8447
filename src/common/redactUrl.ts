/**
 * A database URL fit for output and logs: the password replaced, everything else kept (host, port,
 * database and parameters say which database without letting anyone in). Text that is not a URL is
 * reduced to its scheme.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(url)?.[0];
    return scheme ? `${scheme}//…` : '…';
  }
}
