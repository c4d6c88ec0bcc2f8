/** The server's one configuration module: the environment's schema and the sites file's. */
export { ConfigError, environmentSchema, readEnvironment, VARIABLES, type Environment, type Variable } from './environment.js';
export { loadSites, serverConfig, type ServerConfig } from './server-config.js';
export { sitesFileSchema, SitesFileError } from '../sites/load.js';
