/** Title chains on the StatusRegistry: transfers recorded with the superseded bit, and their mirror. */
export * from './title-mirror.js';
