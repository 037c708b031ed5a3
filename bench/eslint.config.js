import { config } from '@crm/eslint-config';

// Benchmarks are command-line entry points: they read their own settings from the environment.
export default [...config(import.meta.dirname), { rules: { 'no-restricted-properties': 'off' } }];
