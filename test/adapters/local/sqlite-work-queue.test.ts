import { SqliteWorkQueue } from '../../../adapters/local/sqlite-work-queue.js';
import { sqliteHarness } from '../../contracts/local-state.js';
import { type Job, workQueueContract } from '../../contracts/work-queue.contract.js';

workQueueContract('SqliteWorkQueue', (settings) => {
  const h = sqliteHarness((db) => new SqliteWorkQueue<Job>(db, settings));
  const db = h.state.open();
  return { ...h, queue: (name) => new SqliteWorkQueue<Job>(db, { ...settings, name }) };
});
