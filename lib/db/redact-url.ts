/** Renders a connection string without its password, for logs and reports. */
export function redactUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '*****';
    url.searchParams.delete('password');
    return url.toString();
  } catch {
    return '(unparseable connection string)';
  }
}
