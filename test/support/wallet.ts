import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { WalletIO } from '../../apps/wallet/src/context.js';
import { runWallet } from '../../apps/wallet/src/run.js';
import type { Fixture } from './chain.js';

/** A wallet user in a temporary folder, with a manifest pointing at a fixture's chain. */
export class WalletUser {
  readonly dir = mkdtempSync(path.join(tmpdir(), 'govcred-wallet-'));
  readonly manifest = path.join(this.dir, 'devnet.json');
  readonly walletFile = path.join(this.dir, 'wallet.json');
  /** Answers to give, in order, when the wallet asks something. */
  answers: string[] = [];
  asked: string[] = [];
  /** Bodies the wallet POSTed, as sent (wire capture). */
  posted: string[] = [];
  /** The wallet's clock (the test chain may run ahead of this machine). */
  now: () => Date = () => new Date();

  constructor(
    fixture: Fixture,
    public passphrase = 'correct horse battery staple',
    extra: Record<string, unknown> = {},
  ) {
    writeFileSync(
      this.manifest,
      JSON.stringify({
        chain: { rpcUrl: process.env.GOVCRED_TEST_RPC_URL, chainId: fixture.chainId },
        contracts: {
          didRegistry: fixture.didRegistry,
          trustRegistry: fixture.trustRegistry,
          statusRegistry: fixture.statusRegistry,
          verifierRegistry: fixture.verifierRegistry,
          deployBlock: fixture.deployBlock,
        },
        governance: { address: fixture.governance.address },
        services: {},
        agencies: [],
        ...extra,
      }),
    );
  }

  /** Runs a wallet command in-process, exactly as the CLI does; returns exit code and output. */
  async run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const io: WalletIO = {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { GOVCRED_WALLET_PASSPHRASE: this.passphrase, LANG: 'en_US.UTF-8' },
      now: () => this.now(),
      fetch: async (input, init) => {
        if (init?.method === 'POST' && init.body !== undefined) this.posted.push(String(init.body));
        return fetch(input, init);
      },
      prompt: async (question) => {
        this.asked.push(question);
        return this.answers.shift() ?? '';
      },
    };
    const code = await runWallet(['--wallet', this.walletFile, '--manifest', this.manifest, ...argv], io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }
}
