import type { ProblemCode } from './problem-codes.js';
import type { CheckName, CheckResult, Problem } from './types.js';

/** Collects check outcomes and problems while a verification runs. */
export class Recorder {
  readonly checks: CheckResult[] = [];
  readonly problems: Problem[] = [];

  pass(check: CheckName, path?: string): void {
    this.checks.push(path === undefined ? { check, status: 'passed' } : { check, status: 'passed', path });
  }

  skip(check: CheckName, path?: string): void {
    this.checks.push(path === undefined ? { check, status: 'skipped' } : { check, status: 'skipped', path });
  }

  /** Records a failed check with one or more problems. */
  fail(check: CheckName, path: string | undefined, problems: Array<{ code: ProblemCode; message: string; path?: string }>): void {
    this.checks.push(path === undefined ? { check, status: 'failed' } : { check, status: 'failed', path });
    for (const p of problems) this.problems.push({ code: p.code, message: p.message, path: p.path ?? path ?? '' });
  }

  /** Records `check` as passed when `problems` is empty, failed otherwise. */
  outcome(check: CheckName, path: string | undefined, problems: Array<{ code: ProblemCode; message: string; path?: string }>): void {
    if (problems.length === 0) this.pass(check, path);
    else this.fail(check, path, problems);
  }

  /** True when no check failed and nothing was skipped. */
  get allPassed(): boolean {
    return this.problems.length === 0 && this.checks.every((c) => c.status === 'passed');
  }
}
