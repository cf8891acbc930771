import { SqliteBanStore } from '../../../adapters/local/sqlite-ban-store.js';
import { banStoreContract } from '../../contracts/ban-store.contract.js';
import { sqliteHarness } from '../../contracts/local-state.js';

banStoreContract('SqliteBanStore', (clock) => sqliteHarness((db) => new SqliteBanStore(db, { clock })));
