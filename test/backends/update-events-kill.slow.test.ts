// kill -9 in the middle of updates of 1,000 events (about 2 MB each) on every durable backend, many times
// (WFSTORE_CRASH_TRIALS, 30 by default): all of an update's events or none (test/support/update-events-kill.ts).

import { describeKillCampaign } from '../support/update-events-kill-suite.js';

describeKillCampaign(Number(process.env.WFSTORE_CRASH_TRIALS ?? 30), 1000, 2000);
