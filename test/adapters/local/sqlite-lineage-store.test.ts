import { SqliteLineageStore } from '../../../adapters/local/sqlite-lineage-store.js';
import { lineageStoreContract } from '../../contracts/lineage-store.contract.js';
import { sqliteHarness } from '../../contracts/local-state.js';

lineageStoreContract('SqliteLineageStore', () => sqliteHarness((db) => new SqliteLineageStore(db)));
