// Loaded first (see cucumber.js): lets Node import the TypeScript step definitions through tsx.
import { register } from 'tsx/esm/api';

register();
