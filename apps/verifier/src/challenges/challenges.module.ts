import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Oid4vpModule } from '../oid4vp/oid4vp.module.js';
import { ChallengesController } from './challenges.controller.js';
import { ChallengesService } from './challenges.service.js';
import { ChallengeEntity } from './entities/challenge.entity.js';
import { RetentionService } from './retention.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([ChallengeEntity]), Oid4vpModule],
  controllers: [ChallengesController],
  providers: [ChallengesService, RetentionService],
  exports: [ChallengesService, RetentionService],
})
export class ChallengesModule {}
