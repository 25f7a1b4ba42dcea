/**
 * The pages built from apps/web, each its own single-page app with its own folder (index.html + main.tsx) and
 * the path a service serves it at. The shared code lives in src/shared. The web wallet (`/wallet/`, served by
 * the verifier) and the counter page (`/`, verifier) are added here as `{ name, base }` once they exist.
 */
export const WEB_ENTRIES = [{ name: 'portal', base: '/portal/' }];
