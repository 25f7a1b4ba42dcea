import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { CredentialCatalogView } from '../../../libs/credentials/src/index.js';
import { configureApp } from '../../common/src/http/configure-app.js';
import { VerifierAppModule, verifierDataSourceOptions } from './app.module.js';
import { API_KEY_HEADER } from './auth/api-key.guard.js';
import { defaultCatalogView } from './catalog-view.js';
import { ChainState } from './chain/chain-state.js';
import type { VerifierConfig } from './config/verifier.config.js';
import { mountLeanVerifyRoutes } from './verification/verify-routes.js';

/** A running verifier. */
export interface RunningVerifier {
  app: INestApplication;
  chain: ChainState;
  /** Base URL, e.g. `http://127.0.0.1:3002`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What tests may replace; production uses the defaults. */
export interface VerifierOverrides {
  /** @default the credential catalog of libs/credentials */
  catalog?: CredentialCatalogView;
  /** @default () => new Date() */
  now?: () => Date;
  /** Nest's logger levels. @default ['error', 'warn', 'log'] */
  logger?: Array<'error' | 'warn' | 'log' | 'debug' | 'verbose'> | false;
}

/** What must happen once before cluster workers start: the database migrated (the data source is closed again). */
export async function prepareVerifierDatabase(config: VerifierConfig): Promise<void> {
  const dataSource = await new DataSource(verifierDataSourceOptions(config)).initialize();
  await dataSource.destroy();
}

/**
 * Builds and starts the verifier from validated settings: checks the chain and syncs the status and trust
 * mirrors, runs the database migrations, then listens (port 0: any free port). Used by main.ts and by tests.
 */
export async function startVerifier(config: VerifierConfig, overrides: VerifierOverrides = {}): Promise<RunningVerifier> {
  const now = overrides.now ?? (() => new Date());
  const chain = new ChainState(config, overrides.catalog ?? defaultCatalogView(), now);
  let app: INestApplication | undefined;
  try {
    await chain.start();
    app = await NestFactory.create(VerifierAppModule.forRoot({ config, chain, now }), {
      bodyParser: false,
      logger: overrides.logger ?? ['error', 'warn', 'log'],
    });
    // The verify routes are served ahead of Express and Nest (see leanJsonRoute).
    mountLeanVerifyRoutes(app, config.VERIFIER_BODY_LIMIT);
    configureApp(app, {
      title: 'govcred verifier',
      description:
        'Checks verifiable presentations and credentials using only the chain: issuer keys (ERC-1056), ' +
        'accreditation (TrustRegistry) and status (StatusRegistry). Never calls an issuer. Verifier accounts (created on ' +
        '/admin/verifiers with `Authorization: Bearer <VERIFIER_ADMIN_TOKEN>`) send `x-api-key`; only the account that made ' +
        'a request reads its result, kept for VERIFIER_RESULT_RETENTION_SECONDS.',
      version: '0.1.0',
      bodyLimit: config.VERIFIER_BODY_LIMIT,
      apiKeyHeader: API_KEY_HEADER,
    });
    await app.listen(config.VERIFIER_PORT, config.VERIFIER_HOST);
  } catch (error) {
    await app?.close().catch(() => undefined);
    chain.stop();
    throw error;
  }
  const server = app.getHttpServer() as { address(): { port: number } };
  const port = server.address().port;
  const running = app;
  return {
    app: running,
    chain,
    url: `http://${config.VERIFIER_HOST}:${port}`,
    port,
    async close() {
      await running.close();
      chain.stop();
    },
  };
}
