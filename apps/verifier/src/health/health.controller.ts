import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChainState } from '../chain/chain-state.js';

/** Liveness and how far the chain mirrors have followed. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly chain: ChainState) {}

  @Get()
  @ApiOperation({ summary: 'Liveness, and the last block each chain mirror has synced' })
  @ApiOkResponse({ description: '`{status, pid, chainId, statusMirror: {syncedBlock, lists}, titleMirror: {syncedBlock, transfers}, trustMirror: {syncedBlock}, didMirror: {syncedBlock, identities}, verifierMirror: {syncedBlock, verifiers}}`' })
  health() {
    return {
      status: 'ok',
      // Which worker process answered (VERIFIER_CLUSTER_WORKERS): each holds its own mirrors.
      pid: process.pid,
      chainId: this.chain.config.CHAIN_ID,
      statusMirror: { syncedBlock: this.chain.statusMirror.syncedBlock, lists: this.chain.statusMirror.listCount },
      titleMirror: { syncedBlock: this.chain.titleMirror.syncedBlock, transfers: this.chain.titleMirror.transferCount },
      trustMirror: { syncedBlock: this.chain.trustMirror.syncedBlock },
      didMirror: { syncedBlock: this.chain.didMirror.syncedBlock, identities: this.chain.didMirror.identityCount },
      verifierMirror: { syncedBlock: this.chain.verifierMirror.syncedBlock, verifiers: this.chain.verifierMirror.verifierCount },
    };
  }
}
