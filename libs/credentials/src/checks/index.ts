/**
 * Counter checks: the questions a verifier's counter asks a citizen (presets such as "over 18" and checks composed
 * of registered claims) as DCQL queries over the catalog's SD-JWT VC types, and what a registration on chain lets
 * a counter offer. Browser-safe: the counter page's tests use it as the verifier does.
 */
export * from './presets.js';
export * from './options.js';
