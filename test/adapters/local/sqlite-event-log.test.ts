import { SqliteEventLog } from '../../../adapters/local/sqlite-event-log.js';
import { eventLogContract } from '../../contracts/event-log.contract.js';
import { sqliteHarness } from '../../contracts/local-state.js';

eventLogContract('SqliteEventLog', () => sqliteHarness((db) => new SqliteEventLog(db)));
