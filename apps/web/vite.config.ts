import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';

/**
 * `vite dev` serves the router as server.ts does in production: in front of
 * SvelteKit, with the same services the pages use (@roster/* are external, so
 * this native import and SvelteKit's share one copy).
 */
/**
 * The web app's two server packages stay imports in the build: adapter-node
 * bundles every import (`noExternal: true`) except the exact names of its
 * package.json dependencies, and Vite's own external list did not keep the
 * linked workspace packages out, so the build held a second copy of api,
 * core, db and auth beside the one server.ts imports.
 */
const serverPackagesExternal: Plugin = {
  name: 'roster-server-packages-external',
  enforce: 'pre',
  apply: 'build',
  resolveId(id) {
    return /^@roster\/(api|config)(\/|$)/.test(id) ? { id, external: true } : null;
  },
};

const apiInDev: Plugin = {
  name: 'roster-api-in-dev',
  apply: 'serve',
  async configureServer(server) {
    const pkg = '@roster/api';
    const { createTrpcHandler, instanceServices, isTrpcRequest, reachedOverHttps } = (await import(/* @vite-ignore */ pkg)) as typeof import('@roster/api');
    const api = createTrpcHandler({ services: instanceServices, secure: () => reachedOverHttps(false) });
    server.middlewares.use((req, res, next) => (isTrpcRequest(req.url) ? void api(req, res).catch(next) : next()));
    const { createOpsHandler, isOpsRequest } = (await import(/* @vite-ignore */ pkg)) as typeof import('@roster/api');
    const ops = createOpsHandler({ services: instanceServices, metricsToken: process.env.ROSTER_METRICS_TOKEN || undefined });
    server.middlewares.use((req, res, next) => (isOpsRequest(req.url) ? void ops.handle(req, res).catch(next) : next()));
  },
};

export default defineConfig({
  plugins: [
    serverPackagesExternal,
    apiInDev,
    sveltekit({
      adapter: adapter({ out: 'build' }),
      // Pages' Content-Security-Policy: SvelteKit adds a nonce (or a hash when prerendered) for its own inline
      // script, so no 'unsafe-inline' script. Styles keep 'unsafe-inline' for the style attributes components render.
      // API responses get a stricter policy in hooks.server.ts.
      csp: {
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          'style-src': ['self', 'unsafe-inline'],
          // Avatars are https: anywhere (or http: on this instance); the favicon is a data: SVG.
          'img-src': ['self', 'https:', 'data:'],
          'font-src': ['self'],
          'connect-src': ['self'],
          'object-src': ['none'],
          'base-uri': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
        },
      },
    }),
  ],
  // The web app's server packages (TypeScript sources in the workspace, which Node runs as they are) stay external,
  // so server.ts and the pages share one copy of them: one set of services per process (@roster/api's web-instance.ts).
  // This list serves `vite dev`; the build needs serverPackagesExternal as well.
  ssr: { external: ['@roster/api', '@roster/config'] },
});
