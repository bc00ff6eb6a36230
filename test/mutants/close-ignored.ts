import { mutant } from './mutant.js';

export default mutant({
  name: 'close-ignored',
  rule: 'WF-CLS-1',
  breaks: 'close() does nothing: calls after it still succeed',
  wrap: () => ({
    close: async () => {},
  }),
});
