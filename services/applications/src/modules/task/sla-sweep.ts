import { enqueue } from '@simpul/events';
import { slaBreaches } from '@simpul/service-kit';
import type { ApplicationsRuntime } from '../../context';
import { outbox } from '../../db/schema';
import { recordOwnChanges } from '../application/application-audit';
import { applicationStatusEvent } from '../application/application-events';
import { lockApplication, updateApplication } from '../application/application.repository';
import { insertTimeline } from '../timeline/timeline.repository';
import { isTaskOverdue } from './sla';
import { findApplicationsWithOverdueTasks, findTasksOfApplications, flowTaskOf } from './task.repository';

const BATCH_SIZE = 100;

/**
 * Records SLA breaches. Every `intervalMs` it finds applications with a task past its due time and
 * still undecided, and for each, once: stamps `slaBreachedAt`, adds an SLA_BREACHED timeline entry
 * per overdue task, and enqueues `mpp.application.status.v1` with `slaBreached: true` (status
 * unchanged). Safe with several replicas: each application is re-checked under its row lock.
 * Each breach is recorded in the audit log (a change of the application's citizens' data) before
 * it commits; while the log is unavailable the sweep fails and the next one tries again.
 */
export class SlaSweep {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(
    private readonly runtime: ApplicationsRuntime,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One sweep; returns the applications whose breach it recorded. */
  async sweep(): Promise<string[]> {
    const recorded: string[] = [];
    for (;;) {
      const now = this.runtime.now();
      const candidates = await findApplicationsWithOverdueTasks(this.runtime.db, now, BATCH_SIZE);
      for (const id of candidates) {
        if (await this.recordBreach(id, now)) {
          recorded.push(id);
          slaBreaches.inc();
        }
      }
      if (candidates.length < BATCH_SIZE) break;
    }
    if (recorded.length > 0) this.runtime.afterCommit();
    return recorded;
  }

  private async recordBreach(applicationId: string, now: Date): Promise<boolean> {
    const { db, catalogue, hashNik } = this.runtime;
    return db.transaction(async (tx) => {
      const application = await lockApplication(tx, applicationId);
      if (!application || application.slaBreachedAt) return false;
      const tasks = (await findTasksOfApplications(tx, [applicationId])).map(flowTaskOf);
      const overdue = tasks.filter((task) => isTaskOverdue(task, now));
      if (overdue.length === 0) return false;

      await updateApplication(tx, applicationId, { slaBreachedAt: now });
      await insertTimeline(
        tx,
        applicationId,
        overdue.map((task) => ({
          occurredAt: now,
          kind: 'SLA_BREACHED' as const,
          taskId: task.id,
          stepId: task.stepId,
          participant: task.participant,
          taskStatus: task.status,
          reason: `due at ${task.dueAt!.toISOString()}`,
        })),
      );
      const status = { status: application.status, previousStatus: application.status, slaBreached: true, tasks };
      await enqueue(tx, outbox, [applicationStatusEvent(application, status, { catalogue, hashNik, now })]);
      await recordOwnChanges(this.runtime.audit, {
        application,
        type: catalogue.applicationTypes.get(application.type),
        fields: ['Application.slaBreached', 'Application.timeline'],
        correlationId: application.correlationId,
        occurredAt: now,
      });
      return true;
    });
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep()
        .catch((error: unknown) => this.runtime.logger.warn({ err: error }, 'SLA sweep failed; retrying at the next interval'))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.intervalMs);
        });
    }, delayMs);
    this.timer.unref();
  }
}
