/**
 * The form frame's entry, served from the PCI origin at `/frame/`. Reads which site, host origin
 * and locale from its URL (none of them secret), sets the page's language and direction, loads
 * that locale's strings (lazily, English built in), and mounts `<secure-form-frame>`, which
 * waits for the host's `open` message with the view key.
 */
import '../components/secure-form-frame/secure-form-frame.js';
import { directionOf, resolveLocale, useLocale } from '../localization.js';
import './frame.css';

const params = new URLSearchParams(location.search);
const tag = (params.get('locale') ?? '').slice(0, 35) || navigator.language || 'en';
document.documentElement.lang = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : resolveLocale(tag);
document.documentElement.dir = directionOf(tag);
void useLocale(tag);
const frame = document.createElement('secure-form-frame');
frame.hostOrigin = params.get('host') ?? '';
frame.siteId = params.get('site') ?? '';
frame.locale = tag;
(document.querySelector('main') ?? document.body).append(frame);
