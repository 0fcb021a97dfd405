/**
 * A minimal browser for protocol tests: a cookie jar, redirects followed within the server, and
 * form posts with the page's CSRF token. Real-browser tests use Chromium; this one is fast.
 */
export interface AgentResponse {
  status: number;
  url: string;
  location: string | undefined;
  body: string;
  headers: Headers;
}

export class TestAgent {
  private cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      const expired = attributes.some((attribute) => /max-age=0/i.test(attribute.trim()) || /expires=Thu, 01 Jan 1970/i.test(attribute.trim()));
      if (expired || value === '') this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
  }

  clearCookies(): void {
    this.cookies.clear();
  }

  hasCookie(name: string): boolean {
    return this.cookies.has(name);
  }

  /** A cookie's current value, e.g. to replay it from another client later. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** One request, no redirect following. */
  async request(url: string, init: { method?: string; form?: Record<string, string | string[]> } = {}): Promise<AgentResponse> {
    const headers: Record<string, string> = { cookie: this.cookieHeader() };
    let body: string | undefined;
    if (init.form) {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(init.form)) for (const item of [value].flat()) search.append(name, item);
      body = search.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const absolute = new URL(url, this.origin).href;
    const response = await fetch(absolute, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.remember(response);
    return { status: response.status, url: absolute, location: response.headers.get('location') ?? undefined, body: await response.text(), headers: response.headers };
  }

  /** Follows redirects while they stay on the server; returns the first off-server redirect or the final page. */
  async navigate(url: string, init: { form?: Record<string, string | string[]> } = {}): Promise<AgentResponse> {
    let response = await this.request(url, init);
    for (let hops = 0; hops < 10 && response.location; hops++) {
      const next = new URL(response.location, response.url);
      if (next.origin !== new URL(this.origin).origin) return response;
      response = await this.request(next.href);
    }
    return response;
  }

  /** Submits the page's form whose action matches `actionPart`, with its CSRF token. */
  async submit(page: AgentResponse, actionPart: string, fields: Record<string, string | string[]>): Promise<AgentResponse> {
    const forms = [...page.body.matchAll(/<form\b[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find((match) => decode(match[1]!).includes(actionPart));
    if (!form) throw new Error(`no form with action containing ${actionPart} on ${page.url}:\n${page.body.slice(0, 2000)}`);
    const csrf = /name="csrf_token"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="csrf_token"/.exec(form[2]!);
    const hidden: Record<string, string> = csrf ? { csrf_token: decode(csrf[1] ?? csrf[2] ?? '') } : {};
    return this.navigate(new URL(decode(form[1]!), page.url).href, { form: { ...hidden, ...fields } });
  }
}

const decode = (value: string) => value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** PKCE pair (RFC 7636 §4.1–4.2). */
export async function pkcePair(): Promise<{ verifier: string; challenge: string }> {
  const { createHash, randomBytes } = await import('node:crypto');
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
