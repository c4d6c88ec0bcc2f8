/**
 * The form frame's entry, served from the PCI origin at `/frame/`. Reads which site, host origin
 * and locale from its URL (none of them secret), and mounts `<secure-form-frame>`, which waits for
 * the host's `open` message with the view key.
 */
import '../components/secure-form-frame/secure-form-frame.js';
import './frame.css';

const params = new URLSearchParams(location.search);
const frame = document.createElement('secure-form-frame');
frame.hostOrigin = params.get('host') ?? '';
frame.siteId = params.get('site') ?? '';
frame.locale = params.get('locale') ?? 'en';
(document.querySelector('main') ?? document.body).append(frame);
