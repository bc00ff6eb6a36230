import { mutant } from './mutant.js';

export default mutant('close-ignored', 'after close() every call fails with STORE_CLOSED', () => ({
  close: async () => {},
}));
