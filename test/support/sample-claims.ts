export { SAMPLE_CLAIMS } from '../../scripts/lib/sample-claims.js';
