import { lineageStoreContract } from '../contracts/lineage-store.contract.js';
import { InMemoryLineageStore } from './lineage-store.js';

// The fake behaves like SqliteLineageStore, or the step tests on it prove nothing.
lineageStoreContract('InMemoryLineageStore', () => {
  const subject = new InMemoryLineageStore();
  return { subject, reopen: () => subject.reopen(), close: () => undefined };
});
