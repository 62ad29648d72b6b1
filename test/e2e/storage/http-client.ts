/** A minimal client for the built app: tRPC over HTTP (no transformer) and the file endpoints. */
export class AppClient {
  /** The first run's owner, created and signed in on a fresh app (Olga, owner@example.com). */
  static async owner(baseUrl: string): Promise<AppClient> {
    const owner = new AppClient(baseUrl);
    await owner.call('setup.createOwner', { email: 'owner@example.com', name: 'Olga', password: 'correct horse battery' });
    await owner.call('auth.signIn', { email: 'owner@example.com', password: 'correct horse battery' });
    return owner;
  }

  readonly baseUrl: string;
  cookie = '';
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  private keepCookie(res: Response) {
    const set = res.headers.getSetCookie().find((c) => c.startsWith('roster_session='));
    if (set) this.cookie = set.split(';')[0]!;
  }

  get session() {
    return this.cookie.split('=')[1] ?? '';
  }

  async call<T = any>(path: string, input?: unknown, kind: 'query' | 'mutation' = 'mutation'): Promise<T> {
    const url = new URL(`/api/trpc/${path}`, this.baseUrl);
    if (kind === 'query' && input !== undefined) url.searchParams.set('input', JSON.stringify(input));
    const res = await fetch(url, {
      method: kind === 'query' ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', cookie: this.cookie },
      body: kind === 'mutation' ? JSON.stringify(input ?? {}) : undefined,
    });
    this.keepCookie(res);
    const body = (await res.json()) as { result?: { data: T }; error?: { message: string; data?: { appCode?: string } } };
    if (body.error) throw Object.assign(new Error(body.error.message), { appCode: body.error.data?.appCode, status: res.status });
    return body.result!.data;
  }

  query<T = any>(path: string, input?: unknown) {
    return this.call<T>(path, input, 'query');
  }

  /** POST /api/files; `name` goes percent-encoded in x-file-name unless `query` carries it. */
  upload(body: BodyInit | null, opts: { name?: string; query?: Record<string, string>; headers?: Record<string, string>; auth?: 'cookie' | 'bearer' | 'none' } = {}) {
    const url = new URL('/api/files', this.baseUrl);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', ...opts.headers };
    if (opts.name !== undefined) headers['x-file-name'] = encodeURIComponent(opts.name);
    const auth = opts.auth ?? 'cookie';
    if (auth === 'cookie') headers.cookie = this.cookie;
    if (auth === 'bearer') headers.authorization = `Bearer ${this.session}`;
    const init: RequestInit & { duplex?: 'half' } = { method: 'POST', headers, body };
    if (body instanceof ReadableStream) init.duplex = 'half';
    return fetch(url, init);
  }

  download(id: string) {
    return fetch(new URL(`/api/files/${id}`, this.baseUrl), { headers: { cookie: this.cookie } });
  }
}
