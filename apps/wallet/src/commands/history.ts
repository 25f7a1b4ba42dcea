import { getCredentialType, receiptHistory, typeMetadata } from '../../../../libs/credentials/src/index.js';
import type { WalletContext } from '../context.js';
import { oid4vpMessages } from '../i18n-oid4vp.js';

/** `history [--json]`: the consent receipts, newest first — who asked for the citizen's data, when, why, what left. */
export async function history(ctx: WalletContext, json: boolean): Promise<void> {
  const store = await ctx.open();
  const receipts = receiptHistory(store.data.receipts ?? []);
  if (json) return ctx.io.out(JSON.stringify(receipts, null, 2));
  const m = oid4vpMessages(ctx.lang);
  if (receipts.length === 0) return ctx.io.out(m.noHistory);
  ctx.io.out(`${m.history} (${receipts.length}):`);
  for (const r of receipts) {
    const name = r.verifier.name?.[ctx.lang] ?? m.unregistered;
    ctx.io.out(`${r.at.replace('T', ' ').slice(0, 19)}  ${name} — ${m.outcomes[r.outcome]}${r.reason ? ` (${m.refusals[r.reason] ?? r.reason})` : ''}`);
    ctx.io.out(`    ${m.verifier}: ${r.verifier.did ?? '-'}`);
    if (r.purpose) ctx.io.out(`    ${m.purpose}: ${r.purpose[ctx.lang]}`);
    for (const d of r.disclosed) {
      const labels = getCredentialType(d.type)?.labels[ctx.lang];
      // Type Metadata labels cover derived claims (age_over_18) too; the catalog's field labels the rest.
      const display = (claim: string) =>
        (labels ? typeMetadata(d.type)?.claims.find((c) => c.path.length === 1 && c.path[0] === claim)?.display?.find((x) => x.locale === ctx.lang)?.label : undefined) ??
        labels?.fields[claim] ??
        claim;
      ctx.io.out(`    ${m.shared}: ${labels?.name ?? d.type} — ${d.claims.map(display).join(', ')}`);
    }
    if (r.requestHash) ctx.io.out(`    ${m.request}: ${r.requestHash}`);
  }
}
