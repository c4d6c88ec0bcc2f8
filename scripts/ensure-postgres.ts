// Makes sure the backend tests can start a private PostgreSQL (Debian's `postgresql` package when
// missing): the second backend test project runs every backend test on it (scripts/engines).
import { ensureDebianPackage } from './debian-package.ts';
import { findPostgresBin } from './engines/binaries.ts';

ensureDebianPackage({
  name: 'PostgreSQL',
  debianPackage: 'postgresql',
  find: findPostgresBin,
  help: `
The backend tests run a second time on PostgreSQL and need its server programs (initdb, postgres),
and none were found. The tests start their own server in a temporary directory; nothing has to run.
Get them, then run the tests again:
  - on Debian or Ubuntu:  sudo apt-get install postgresql   (or run this command as root)
  - on Fedora:  sudo dnf install postgresql-server;  on macOS:  brew install postgresql@15
  - or point at the directory that has initdb:  SECURE_FORMS_POSTGRES_BIN=/path/to/bin npm test
`,
});
