import { parseArgs } from 'node:util';
import { createContext, type WalletIO } from './context.js';
import { WALLET_ERROR_CODES, WalletError } from './errors.js';
import { messages, pickLang } from './i18n.js';
import * as manage from './commands/manage.js';
import { history } from './commands/history.js';
import { presentOid4vp } from './commands/present-oid4vp.js';
import { receive } from './commands/receive.js';

const HELP = `govcred wallet — a citizen's wallet for government credentials

usage: wallet <command> [options]
  init                         create your key, DID and encrypted wallet
  backup <file>                write an encrypted backup
  restore <file> [--force]     restore a backup
  receive <offer> [--pin CODE] [--key p256|secp256k1] [--refill <number|id>]
                               receive a credential from an agency (OID4VCI offer link or QR text);
                               an SD-JWT VC is bound to a new P-256 key (default) or your DID's secp256k1 key,
                               one fresh key per copy when the issuer issues copies; --refill adds the copies
                               of the agency's refill offer to that credential
  list                         your credentials, with status read from the chain
  show <number|id>             one credential in full
  present '<openid4vp://…>' [--yes] [--any-status]
                               answer a verifier's OpenID4VP request: checks on chain who asks and that it
                               may ask this, shows what would leave your wallet, asks your consent;
                               --any-status also offers credentials the chain shows as revoked or suspended
  history                      who asked for your data: every request answered or refused

options:
  --lang zh-CN|en              language (default: from LANG)
  --wallet <file>              wallet file (default: .govcred/wallet.json, or GOVCRED_WALLET)
  --manifest <file>            system manifest (default: .govcred/devnet.json, or GOVCRED_MANIFEST)
  --json                       machine-readable output (list, show, history)
The passphrase is read from GOVCRED_WALLET_PASSPHRASE, or asked for.
An SD-JWT VC arrives as unlinkable copies when the issuer issues batches: each presentation shows an unused
copy; below GOVCRED_WALLET_REFILL_BELOW unused copies (default 3) the wallet asks for a refill offer
(receive --refill), and once out it reuses a copy only with a warning.`;

/** Exit code of a wallet error: 2 for usage, then one per code from 10 on, so scripts can tell them apart. */
export function exitCode(error: WalletError): number {
  return error.code === 'usage' ? 2 : 10 + WALLET_ERROR_CODES.indexOf(error.code);
}

/** Runs one wallet command; returns the process exit code. Never throws. */
export async function runWallet(argv: string[], io: WalletIO): Promise<number> {
  let lang = pickLang(undefined, io.env);
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        lang: { type: 'string' },
        wallet: { type: 'string' },
        manifest: { type: 'string' },
        json: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        yes: { type: 'boolean', default: false },
        'any-status': { type: 'boolean', default: false },
        pin: { type: 'string' },
        key: { type: 'string', default: 'p256' },
        refill: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    lang = pickLang(values.lang, io.env);
    const [command, arg] = positionals;
    if (values.help || !command) {
      io.out(HELP);
      return command || values.help ? 0 : 2;
    }
    const ctx = createContext(io, lang, values);
    switch (command) {
      case 'init':
        await manage.init(ctx);
        break;
      case 'backup':
        await manage.backup(ctx, arg);
        break;
      case 'restore':
        await manage.restore(ctx, arg, values.force);
        break;
      case 'receive':
        await receive(ctx, arg, values.pin, values.key, values.refill);
        break;
      case 'list':
        await manage.list(ctx, values.json);
        break;
      case 'show':
        await manage.show(ctx, arg, values.json);
        break;
      case 'present':
        // Exit 3: presented, but the verifier did not accept it.
        // OpenID4VP is the one way to answer a verifier: other links (the old http(s) request URLs) are refused.
        if (!arg?.trim().startsWith('openid4vp:')) throw new WalletError('usage', 'present takes an openid4vp:// request URI');
        return (await presentOid4vp(ctx, arg.trim(), values.yes, values['any-status'])) ? 0 : 3;
      case 'history':
        await history(ctx, values.json);
        break;
      default:
        throw new WalletError('usage', `unknown command "${command}"`);
    }
    return 0;
  } catch (error) {
    const t = messages(lang);
    if (error instanceof WalletError) {
      io.err(`${t[error.code]}${error.detail ? ` (${error.detail})` : ''}`);
      return exitCode(error);
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${t.usage} (${(error as Error).message})`);
      return 2;
    }
    io.err(`${(error as Error)?.message ?? String(error)}`);
    return 1;
  }
}
