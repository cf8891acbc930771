import { SqliteBuildRecords } from '../../../adapters/local/sqlite-build-records.js';
import { buildRecordsContract } from '../../contracts/build-records.contract.js';
import { sqliteHarness } from '../../contracts/local-state.js';

buildRecordsContract('SqliteBuildRecords', (clock) =>
  sqliteHarness((db) => new SqliteBuildRecords(db, { clock })),
);
