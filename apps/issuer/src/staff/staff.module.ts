import { Module } from '@nestjs/common';
import { AgenciesModule } from '../agencies/agencies.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { AgencyStaffController, StaffAdminController, StaffSessionController } from './staff.controller.js';
import { StaffService } from './staff.service.js';

/** Staff accounts of agencies and their portal sessions (the guard that accepts them: auth/agency-auth.guard.ts). */
@Module({
  imports: [AgenciesModule, AuditModule],
  controllers: [StaffAdminController, AgencyStaffController, StaffSessionController],
  providers: [StaffService],
})
export class StaffModule {}
