/** Printable certificate numbers: where a credential's status lives, with check characters. */
export * from './certificate-number.js';
