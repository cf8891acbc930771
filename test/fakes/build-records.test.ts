import { buildRecordsContract } from '../contracts/build-records.contract.js';
import { InMemoryBuildRecords } from './build-records.js';

// The fake behaves like SqliteBuildRecords, or the step tests on it prove nothing.
buildRecordsContract('InMemoryBuildRecords', (clock) => {
  const subject = new InMemoryBuildRecords({ clock });
  return { subject, reopen: () => subject.reopen(), close: () => undefined };
});
