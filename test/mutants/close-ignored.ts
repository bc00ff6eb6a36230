import { wrapMutant } from './mutant.js';

export default wrapMutant('close-ignored', 'after close() every call fails with STORE_CLOSED', () => ({
  close: async () => {},
}));
