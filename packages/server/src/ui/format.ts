/** Small pure helpers shared by the pages. */

const dateFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
  timeZone: 'UTC',
});

/** "3 Mar 2025" for a Unix-seconds timestamp. */
export function formatDate(seconds: number): string {
  return dateFormat.format(new Date(seconds * 1000));
}

/** "3 Mar 2025, 14:05 UTC" for a Unix-seconds timestamp. */
export function formatDateTime(seconds: number): string {
  return `${dateTimeFormat.format(new Date(seconds * 1000))} UTC`;
}

/** ISO 8601 for `<time datetime>`. */
export function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** "1 hour", "30 days", "90 seconds" for a duration in seconds. */
export function formatDuration(seconds: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3_600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} second${seconds === 1 ? '' : 's'}`;
}

/**
 * Returns the URL only when it is an absolute http(s) URL, so user-supplied
 * links and logos can never become `javascript:` or `data:` URLs.
 */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

/** The host of a URL ("app.example.com"), or undefined when it does not parse. */
export function hostOf(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).host || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where allowing a consent sends the user, named from the redirect URI itself (never from the
 * app's homepage, which the app chooses freely): a private-use URI scheme (RFC 8252 §7.1,
 * `com.example.app:/cb`) opens that native app, so the scheme is named; a web or loopback
 * redirect (RFC 8252 §7.3) names its host, with the port when there is one.
 */
export function redirectDestination(uri: string | null | undefined): { opens: string } | { host: string } | undefined {
  if (!uri) return undefined;
  try {
    const url = new URL(uri);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.host ? { host: url.host } : undefined;
    const scheme = url.protocol.slice(0, -1);
    return scheme ? { opens: scheme } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One argument for a POSIX shell (sh, bash, zsh), whatever it contains: the value in single
 * quotes, inside which nothing is special, and each `'` written as `'\''` (close, an escaped
 * quote, reopen). `$(…)`, backticks, `;`, spaces and newlines stay literal text.
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** First letter (uppercased) for an initial-letter avatar. */
export function initialOf(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? first.toUpperCase() : '?';
}

/** A stable colour class for an avatar, from the name. */
export function avatarColour(name: string): string {
  let hash = 0;
  for (const ch of name) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return `avatar-c${hash % 6}`;
}

/** A string safe to use inside an `id` attribute. */
export function slugId(...parts: Array<string | number>): string {
  return parts
    .map((p) => String(p).replace(/[^A-Za-z0-9_-]+/g, '-'))
    .join('-')
    .replace(/-+/g, '-');
}
