import { config } from '@crm/eslint-config';
export default config(import.meta.dirname);
