/**
 * The pages built from apps/web, each its own single-page app with its own folder (index.html + main.tsx) and
 * the path a service serves it at. The shared code lives in src/shared. The web wallet (`/wallet/`) is served by
 * the verifier; the counter page (`/`, verifier) is added here as `{ name, base }` once it exists.
 */
export const WEB_ENTRIES = [
  { name: 'portal', base: '/portal/' },
  { name: 'wallet', base: '/wallet/' },
];
