/** Where to go after sign-in: a path on this site only, so a crafted link cannot send people elsewhere. */
export function safeRedirect(target: string | null | undefined, fallback = '/admin/users'): string {
  if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  try {
    // Resolving against a dummy origin catches tricks like "/\t/evil.example" that browsers normalise.
    const url = new URL(target, 'http://roster.invalid');
    if (url.origin !== 'http://roster.invalid') return fallback;
    return url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
}

/** The sign-in URL that brings the person back to where they were. */
export function signInUrl(from: URL): string {
  const back = from.pathname + from.search;
  return back === '/' || back.startsWith('/signin') ? '/signin' : `/signin?redirectTo=${encodeURIComponent(back)}`;
}
