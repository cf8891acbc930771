import type { DefinitionPushedEvent } from '../../core/events/definition-pushed.js';
import type { DefinitionVerdictEvent } from '../../core/events/definition-verdict.js';
import type { StateDatabase } from './sqlite-database.js';

/** A push and the gate's verdicts on the definitions it changed, read from the event log. */
export interface PushWithVerdicts {
  readonly push: DefinitionPushedEvent;
  readonly verdicts: readonly DefinitionVerdictEvent[];
}

/** Read-only queries over the event log for the CLI and the dashboard. */
export class SqlitePipelineViews {
  private readonly pushes;
  private readonly verdicts;

  constructor(db: StateDatabase) {
    this.pushes = db.prepare(
      `SELECT body FROM events WHERE detail_type = 'Definition Pushed' ORDER BY seq DESC LIMIT ?`,
    );
    this.verdicts = db.prepare(
      `SELECT body FROM events WHERE detail_type = 'Definition Verdict'
         AND json_extract(body, '$.detail.repository') = ? AND json_extract(body, '$.detail.commit') = ?
       ORDER BY seq`,
    );
  }

  /** The most recent pushes, newest first, each with the verdicts logged for its commit. */
  recentPushes(limit = 20): PushWithVerdicts[] {
    return (this.pushes.all(limit) as { body: string }[]).map((row) => {
      const push = JSON.parse(row.body) as DefinitionPushedEvent;
      const verdicts = (
        this.verdicts.all(push.detail.repository, push.detail.after) as { body: string }[]
      ).map((v) => JSON.parse(v.body) as DefinitionVerdictEvent);
      return { push, verdicts };
    });
  }
}
