/** GET limits: the org's allowances; DailyApiRequests follows the emulator's real count. */
import type { EmulatorState, Reply } from '../state';

export function limits(state: EmulatorState): Reply {
  const max = state.usage.max;
  const used = state.usage.usedInWindow();
  const fixed = (n: number) => ({ Max: n, Remaining: n });
  return {
    status: 200,
    body: {
      ConcurrentAsyncGetReportInstances: fixed(200),
      ConcurrentSyncReportRuns: fixed(20),
      DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
      DailyAsyncApexExecutions: fixed(250000),
      DailyBulkApiBatches: fixed(15000),
      DailyBulkV2QueryJobs: fixed(10000),
      DailyStreamingApiEvents: fixed(1000000),
      DataStorageMB: { Max: 5, Remaining: 5 },
      FileStorageMB: { Max: 20, Remaining: 20 },
      HourlyODataCallout: fixed(10000),
      MassEmail: fixed(5000),
      SingleEmail: fixed(5000),
    },
  };
}
