import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { ChainConfig } from '../../../libs/credentials/src/index.js';
import { WalletError } from './errors.js';
import { messages, type Lang } from './i18n.js';
import { WalletStore } from './store/wallet-store.js';

/** How the wallet talks to its user; replaced in tests. */
export interface WalletIO {
  out(line: string): void;
  err(line: string): void;
  /** Asks a question on the terminal; `hidden` for secrets. */
  prompt(question: string, options?: { hidden?: boolean }): Promise<string>;
  env: Record<string, string | undefined>;
  /** HTTP for OpenID4VP; tests pass one that records what leaves the wallet. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** The clock of key binding and consent receipts; tests run it at the test chain's time. @default new Date() */
  now?: () => Date;
}

/** The chain as the manifest describes it, with the VerifierRegistry when the deployment has one. */
export type WalletChain = ChainConfig & { verifierRegistry?: string };

/** Everything a command needs. */
export interface WalletContext {
  io: WalletIO;
  lang: Lang;
  t: ReturnType<typeof messages>;
  walletFile: string;
  manifestFile: string;
  /** Chain settings from the devnet manifest (or another deployment's). */
  chain(): Promise<WalletChain>;
  /**
   * Below this many unused copies of an SD-JWT VC the wallet asks its user to get a refill offer
   * (GOVCRED_WALLET_REFILL_BELOW). @default 3
   */
  refillBelow: number;
  /** The passphrase: GOVCRED_WALLET_PASSPHRASE, else asked on the terminal. */
  passphrase(confirm?: boolean): Promise<string>;
  open(): Promise<WalletStore>;
}

export function createContext(io: WalletIO, lang: Lang, options: { wallet?: string; manifest?: string }): WalletContext {
  const t = messages(lang);
  const walletFile = path.resolve(options.wallet ?? io.env.GOVCRED_WALLET ?? '.govcred/wallet.json');
  const manifestFile = path.resolve(options.manifest ?? io.env.GOVCRED_MANIFEST ?? '.govcred/devnet.json');
  let cachedPassphrase: string | undefined;
  const refillBelow = Number(io.env.GOVCRED_WALLET_REFILL_BELOW ?? 3);
  if (!Number.isInteger(refillBelow) || refillBelow < 0) throw new WalletError('usage', 'GOVCRED_WALLET_REFILL_BELOW must be a whole number');
  const ctx: WalletContext = {
    io,
    lang,
    t,
    refillBelow,
    walletFile,
    manifestFile,
    async chain() {
      let manifest: { chain?: { rpcUrl?: string; chainId?: number }; contracts?: Record<string, string | number> };
      try {
        manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
      } catch (error) {
        throw new WalletError('service_unreachable', `cannot read ${manifestFile} (is "npm start" running?)`, { cause: error });
      }
      const c = manifest.contracts ?? {};
      if (!manifest.chain?.rpcUrl || !manifest.chain.chainId || !c.didRegistry || !c.statusRegistry || !c.trustRegistry) {
        throw new WalletError('service_unreachable', `${manifestFile} does not describe a chain`);
      }
      return {
        rpcUrl: manifest.chain.rpcUrl,
        chainId: manifest.chain.chainId,
        didRegistry: String(c.didRegistry),
        statusRegistry: String(c.statusRegistry),
        trustRegistry: String(c.trustRegistry),
        deployBlock: Number(c.deployBlock ?? 0),
        ...(c.verifierRegistry ? { verifierRegistry: String(c.verifierRegistry) } : {}),
      };
    },
    async passphrase(confirm = false) {
      if (cachedPassphrase !== undefined) return cachedPassphrase;
      const fromEnv = io.env.GOVCRED_WALLET_PASSPHRASE;
      if (fromEnv) return (cachedPassphrase = fromEnv);
      const first = await io.prompt(t.passphrasePrompt, { hidden: true });
      if (confirm && (await io.prompt(t.passphraseRepeat, { hidden: true })) !== first) {
        throw new WalletError('usage', t.passphraseMismatch);
      }
      return (cachedPassphrase = first);
    },
    async open() {
      return WalletStore.open(walletFile, await ctx.passphrase());
    },
  };
  return ctx;
}

/** Terminal I/O for the real CLI: hidden input for secrets when stdin is a terminal. */
export function terminalIO(): WalletIO {
  return {
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    env: process.env,
    async prompt(question, options = {}) {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
      if (options.hidden && process.stdin.isTTY) {
        // Echo nothing while a secret is typed.
        (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
          if (s.includes(question)) process.stdout.write(question);
        };
      }
      try {
        const answer = await rl.question(question);
        if (options.hidden && process.stdin.isTTY) process.stdout.write('\n');
        return answer;
      } finally {
        rl.close();
      }
    },
  };
}
