// Makes sure the backend tests can start a private Redis (Debian's `redis-server` package when
// missing): the second backend test project runs every backend test on it (scripts/engines).
import { ensureDebianPackage } from './debian-package.ts';
import { findRedisServer } from './engines/binaries.ts';

ensureDebianPackage({
  name: 'Redis',
  debianPackage: 'redis-server',
  find: findRedisServer,
  help: `
The backend tests run a second time on Redis and need redis-server, and none was found. The tests
start their own server (no persistence) on a free port; nothing has to run.
Get it, then run the tests again:
  - on Debian or Ubuntu:  sudo apt-get install redis-server   (or run this command as root)
  - on Fedora:  sudo dnf install redis;  on macOS:  brew install redis
  - or point at the program:  SECURE_FORMS_REDIS_SERVER=/path/to/redis-server npm test
`,
});
