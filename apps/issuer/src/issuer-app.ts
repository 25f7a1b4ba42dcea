import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { configureApp } from '../../common/src/http/configure-app.js';
import { API_KEY_HEADER } from './auth/api-key.guard.js';
import type { IssuerConfig } from './config/issuer.config.js';
import { IssuerModule } from './app.module.js';
import { mountLeanIssueRoute } from './credentials/issue-route.js';
import { issuerDataSourceOptions } from './database/database.module.js';
import { Oid4vciService } from './oid4vci/oid4vci.service.js';
import { checkSharedSettings } from './settings/shared-settings.js';

/** A running issuer. */
export interface RunningIssuer {
  app: INestApplication;
  /** Base URL, e.g. `http://127.0.0.1:3100`. */
  url: string;
  close(): Promise<void>;
}

const DESCRIPTION = `Agencies issue W3C verifiable credentials (JWT VC, did:ethr) and revoke, suspend or reinstate them on chain.

Authentication: agency endpoints take \`${API_KEY_HEADER}: <API key>\` (shown once when the agency is created, stored only as a
sha256 hash); admin endpoints take \`Authorization: Bearer <ISSUER_ADMIN_TOKEN>\`. Every 4xx carries a stable \`code\`.

Personal data kept after issuing: per credential only its id, type, subject DID, status index, issuance and expiry times and
requested status. Claims are never stored, except transiently for bulk jobs (the request until the item is processed, the
signed credential until the agency deletes the results or BULK_RESULT_TTL_MS passes). The audit log holds identifiers only.`;

/**
 * What must happen once before cluster workers start: the database migrated and the shared settings recorded
 * (workers then only compare). The data source is closed again.
 */
export async function prepareIssuerDatabase(config: IssuerConfig): Promise<void> {
  const dataSource = await new DataSource(issuerDataSourceOptions(config)).initialize();
  try {
    const settings = await checkSharedSettings(dataSource, config);
    for (const warning of settings.warnings) new Logger('Settings').warn(warning);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Builds the issuer from a validated configuration and listens on `port` (0 = any free port). Used by main.ts
 * and by the tests, so both run the same pipeline.
 */
export async function startIssuer(config: IssuerConfig, port = config.ISSUER_PORT, host = config.ISSUER_HOST): Promise<RunningIssuer> {
  const app = await NestFactory.create(IssuerModule.forConfig(config), { bodyParser: false, logger: ['error', 'warn'] });
  try {
    // The database is migrated by now; nothing listens and no worker runs yet: a replica that disagrees with the
    // others on what must be shared stops here.
    const settings = await checkSharedSettings(app.get(DataSource), config);
    for (const warning of settings.warnings) new Logger('Settings').warn(warning);
  } catch (error) {
    await app.close();
    throw error;
  }
  configureApp(app, { title: 'govcred issuer', description: DESCRIPTION, version: '0.1.0', bodyLimit: config.ISSUER_BODY_LIMIT, apiKeyHeader: API_KEY_HEADER });
  // Single issuance is served ahead of Express and Nest (see leanRoute); its controller stays for the OpenAPI.
  mountLeanIssueRoute(app);
  await app.listen(port, host);
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://${host}:${address.port}`;
  if (!config.ISSUER_PUBLIC_URL) app.get(Oid4vciService).setBaseUrl(url);
  return { app, url, close: () => app.close() };
}
