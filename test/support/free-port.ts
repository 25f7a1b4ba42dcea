export { FETCH_BAD_PORTS, freePort } from '../../scripts/lib/processes.js';
