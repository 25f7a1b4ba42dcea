import path from 'node:path';
import { WalletError } from '../errors.js';
import { Holder } from '../holder/holder-agent.js';
import { WalletStore } from '../store/wallet-store.js';
import type { WalletContext } from '../context.js';
import { loadStatusMirror, viewCredential, type CredentialView } from '../credential-view.js';

/** `init`: a new holder key and DID in a new encrypted wallet. */
export async function init(ctx: WalletContext): Promise<void> {
  const chain = await ctx.chain();
  const passphrase = await ctx.passphrase(true);
  const holder = await Holder.create(chain);
  await WalletStore.create(ctx.walletFile, passphrase, { holder: holder.identity, credentials: [] });
  ctx.io.out(ctx.t.created);
  ctx.io.out(`${ctx.t.did}: ${holder.identity.did}`);
  ctx.io.out(`${ctx.t.file}: ${ctx.walletFile}`);
}

/** `backup <file>`: an encrypted copy. */
export async function backup(ctx: WalletContext, destination: string | undefined): Promise<void> {
  if (!destination) throw new WalletError('usage', 'backup <file>');
  await WalletStore.backup(ctx.walletFile, await ctx.passphrase(), path.resolve(destination));
  ctx.io.out(`${ctx.t.backedUp} ${path.resolve(destination)}`);
}

/** `restore <file>`: puts a backup in place. */
export async function restore(ctx: WalletContext, source: string | undefined, force: boolean): Promise<void> {
  if (!source) throw new WalletError('usage', 'restore <file> [--force]');
  const store = await WalletStore.restore(path.resolve(source), await ctx.passphrase(), ctx.walletFile, force);
  ctx.io.out(ctx.t.restored);
  ctx.io.out(`${ctx.t.did}: ${store.data.holder.did}`);
}

async function views(ctx: WalletContext): Promise<CredentialView[]> {
  const store = await ctx.open();
  const chain = await ctx.chain();
  const mirror = store.data.credentials.length > 0 ? await loadStatusMirror(chain) : undefined;
  return store.data.credentials.map((c) => viewCredential(c, ctx.lang, chain, mirror));
}

function summary(ctx: WalletContext, n: number, v: CredentialView): string {
  // "Valid until 2035-06-01", or "no expiry date" alone (not "Valid until no expiry").
  const validity = v.validUntil ? `${ctx.t.validUntil} ${v.validUntil.slice(0, 10)}` : ctx.t.noExpiry;
  return `[${n}] ${v.typeLabel} — ${v.issuerName ?? v.issuer} — ${validity} — ${ctx.t.status}: ${ctx.t.statuses[v.status]}`;
}

/** `list`: every credential with its label, issuer, validity and current status from the chain. */
export async function list(ctx: WalletContext, json: boolean): Promise<void> {
  const all = await views(ctx);
  if (json) return ctx.io.out(JSON.stringify(all, null, 2));
  if (all.length === 0) return ctx.io.out(ctx.t.none);
  ctx.io.out(`${ctx.t.credentials} (${all.length}):`);
  all.forEach((v, i) => ctx.io.out(summary(ctx, i + 1, v)));
}

/** `show <n|id>`: one credential in full. */
export async function show(ctx: WalletContext, which: string | undefined, json: boolean): Promise<void> {
  if (!which) throw new WalletError('usage', 'show <number|id>');
  const all = await views(ctx);
  const index = /^[0-9]+$/.test(which) ? Number(which) - 1 : all.findIndex((v) => v.id === which);
  const v = all[index];
  if (!v) throw new WalletError('credential_not_found', which);
  if (json) return ctx.io.out(JSON.stringify(v, null, 2));
  const t = ctx.t;
  ctx.io.out(summary(ctx, index + 1, v));
  ctx.io.out(`  ${t.type}: ${v.type}`);
  ctx.io.out(`  ${t.issuer}: ${v.issuerName ? `${v.issuerName} (${v.issuer})` : v.issuer}`);
  ctx.io.out(`  ${t.subject}: ${v.subject}`);
  ctx.io.out(`  ${t.validFrom}: ${v.validFrom ?? '-'}   ${t.validUntil}: ${v.validUntil ?? t.noExpiry}`);
  ctx.io.out(`  ${t.claims}:`);
  for (const c of v.claims) ctx.io.out(`    ${c.label}: ${c.value}`);
}
