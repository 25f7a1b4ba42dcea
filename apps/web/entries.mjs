/**
 * The pages built from apps/web, each its own single-page app with its own folder (index.html + main.tsx) and
 * the path a service serves it at. The shared code lives in src/shared. The verifier serves the web wallet
 * (`/wallet/`) and the counter page (`/`).
 */
export const WEB_ENTRIES = [
  { name: 'portal', base: '/portal/' },
  { name: 'wallet', base: '/wallet/' },
  { name: 'counter', base: '/' },
];
