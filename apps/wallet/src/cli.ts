#!/usr/bin/env node
/** The wallet's command-line entry point: `npm run wallet -- <command>`. */
import { terminalIO } from './context.js';
import { runWallet } from './run.js';

process.exitCode = await runWallet(process.argv.slice(2), terminalIO());
