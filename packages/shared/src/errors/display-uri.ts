/**
 * An input URI as logs, result rows and Bull Board show it: an http(s) URL's query values
 * (signed URLs carry their signature and credential there) replaced by `…`, its names kept so
 * an operator still sees what kind of URL it was. Paths, file:// and gs:// URIs are unchanged.
 */
export function displayUri(uri: string): string {
  if (!/^https?:\/\//i.test(uri)) return uri;
  const at = uri.indexOf('?');
  if (at < 0) return uri;
  const hash = uri.indexOf('#', at);
  const query = uri.slice(at + 1, hash < 0 ? undefined : hash);
  const names = query
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=…`);
  return `${uri.slice(0, at)}?${names.join('&')}`;
}
