// kill -9 in the middle of updates of 1,000 events on every durable backend, a few times: the short version of
// update-events-kill.slow.test.ts.

import { describeKillCampaign } from '../support/update-events-kill-suite.js';

describeKillCampaign(2, 1000, 2000);
