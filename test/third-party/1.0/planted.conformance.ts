/**
 * The 1.0-era third-party store with one bug planted (`expected_status` ignored, WF-CAS-1, a 1.0 rule),
 * pinned to contract 1.0 like the store itself: judging by 1.0 must still catch it.
 */
import { initializerFor } from './conformance.js';

export default initializerFor('expected-status-ignored');
