/**
 * The passkey screens' words in the agent panel's five languages (en, ar, de, es, fr), chosen like
 * the panel's by `?lang=` (`/agent?lang=ar`), else the page's language. The rest of the demo
 * workspace is English only; these screens carry their own `lang` and `dir` so that Arabic reads
 * right to left. A plain table rather than lit-localize: the demo page has no localization build.
 */

const en = {
  stepHeading: 'Confirm it is you with your passkey',
  stepHint: 'Use the passkey you added for this account: your device may ask for your fingerprint, face or screen lock. No code to type.',
  usePasskey: 'Use a passkey',
  passwordless: 'Sign in with a passkey',
  passwordlessHint: 'No password to type: your device confirms it is you with your fingerprint, face or screen lock.',
  passwordlessRefused:
    'That passkey is not one added to an account here, or it could not be checked. Use a passkey you added here, or sign in with your username and password.',
  orCode: 'Or enter a code from your authenticator app below.',
  managerHeading: 'Your passkeys',
  open: 'Passkeys',
  close: 'Close',
  none: 'You have no passkeys yet.',
  enrolHint:
    'Add a passkey: next time you sign in, your device confirms it is you after your password, with no code to type. You can add one for each device you use.',
  nameLabel: 'Name for the new passkey',
  nameHint: 'For example, the device it is on: "Work laptop". You can change it later.',
  defaultName: 'My passkey',
  add: 'Add a passkey',
  added: (name: string) => `Passkey "${name}" added.`,
  created: (date: string) => `Added ${date}`,
  lastUsed: (date: string) => `Last used ${date}`,
  neverUsed: 'Not used yet',
  rename: (name: string) => `Rename ${name}`,
  renameLabel: (name: string) => `New name for ${name}`,
  save: 'Save name',
  cancel: 'Cancel',
  renamed: (name: string) => `Passkey renamed to "${name}".`,
  remove: (name: string) => `Remove ${name}`,
  removed: (name: string) => `Passkey "${name}" removed.`,
  problem: 'There is a problem',
  enterName: 'Enter a name for the passkey, up to 60 characters.',
  refused: 'That passkey is not one added to this account, or it could not be checked. Use a passkey you added here, or enter a code.',
  cloned: 'This passkey looks copied: its counter went backwards. Sign in another way, remove this passkey and ask an administrator.',
  expired: 'The passkey request ran out of time or was already used. Try again.',
  lastRequired: 'This is your only passkey and you need one to sign in. Add another passkey first, then remove this one.',
  cancelled:
    'The passkey was not used: it was cancelled, timed out, or this device has no passkey for this account. Try again, or use another device.',
  alreadyThere: 'This device already has a passkey for your account. Use another device or security key.',
  unsupported: 'This browser cannot use passkeys. Use another browser, or enter a code.',
  failed: (code: string) => `Something went wrong (${code}). Try again.`,
  resetAction: (name: string) => `Reset passkeys of ${name}`,
  resetHeading: (name: string) => `Reset the passkeys of ${name}?`,
  resetHint: (name: string) =>
    `Every passkey of ${name} is removed. At their next sign-in they use a code from their authenticator app where this site takes codes, and can add a passkey again. Confirm with your own passkey.`,
  resetConfirm: 'Confirm with my passkey',
  resetDone: (name: string) => `The passkeys of ${name} were reset.`,
  resetNeedsOwn: 'Add a passkey of your own first: resetting another operator’s passkeys asks you to confirm with yours.',
};
export type PasskeyText = typeof en;

const de: PasskeyText = {
  stepHeading: 'Bestätigen Sie mit Ihrem Passkey, dass Sie es sind',
  stepHint:
    'Verwenden Sie den Passkey, den Sie für dieses Konto hinzugefügt haben: Ihr Gerät fragt eventuell nach Fingerabdruck, Gesicht oder Bildschirmsperre. Kein Code zum Eintippen.',
  usePasskey: 'Passkey verwenden',
  passwordless: 'Mit einem Passkey anmelden',
  passwordlessHint: 'Kein Passwort zum Eintippen: Ihr Gerät bestätigt mit Fingerabdruck, Gesicht oder Bildschirmsperre, dass Sie es sind.',
  passwordlessRefused:
    'Dieser Passkey gehört zu keinem Konto hier oder konnte nicht geprüft werden. Verwenden Sie einen hier hinzugefügten Passkey oder melden Sie sich mit Benutzername und Passwort an.',
  orCode: 'Oder geben Sie unten einen Code aus Ihrer Authenticator-App ein.',
  managerHeading: 'Ihre Passkeys',
  open: 'Passkeys',
  close: 'Schließen',
  none: 'Sie haben noch keine Passkeys.',
  enrolHint:
    'Fügen Sie einen Passkey hinzu: Bei der nächsten Anmeldung bestätigt Ihr Gerät nach dem Passwort, dass Sie es sind – ohne Code. Sie können für jedes Gerät einen hinzufügen.',
  nameLabel: 'Name des neuen Passkeys',
  nameHint: 'Zum Beispiel das Gerät, auf dem er liegt: „Arbeitslaptop“. Sie können ihn später ändern.',
  defaultName: 'Mein Passkey',
  add: 'Passkey hinzufügen',
  added: (name) => `Passkey „${name}“ hinzugefügt.`,
  created: (date) => `Hinzugefügt am ${date}`,
  lastUsed: (date) => `Zuletzt verwendet am ${date}`,
  neverUsed: 'Noch nicht verwendet',
  rename: (name) => `${name} umbenennen`,
  renameLabel: (name) => `Neuer Name für ${name}`,
  save: 'Namen speichern',
  cancel: 'Abbrechen',
  renamed: (name) => `Passkey in „${name}“ umbenannt.`,
  remove: (name) => `${name} entfernen`,
  removed: (name) => `Passkey „${name}“ entfernt.`,
  problem: 'Es gibt ein Problem',
  enterName: 'Geben Sie einen Namen für den Passkey ein, höchstens 60 Zeichen.',
  refused:
    'Dieser Passkey gehört nicht zu diesem Konto oder konnte nicht geprüft werden. Verwenden Sie einen hier hinzugefügten Passkey oder geben Sie einen Code ein.',
  cloned:
    'Dieser Passkey scheint kopiert zu sein: Sein Zähler ist zurückgegangen. Melden Sie sich anders an, entfernen Sie ihn und wenden Sie sich an eine Administratorin.',
  expired: 'Die Passkey-Anfrage ist abgelaufen oder wurde schon verwendet. Versuchen Sie es erneut.',
  lastRequired:
    'Das ist Ihr einziger Passkey und Sie brauchen einen zur Anmeldung. Fügen Sie zuerst einen weiteren hinzu und entfernen Sie dann diesen.',
  cancelled:
    'Der Passkey wurde nicht verwendet: abgebrochen, abgelaufen, oder dieses Gerät hat keinen Passkey für dieses Konto. Versuchen Sie es erneut oder nehmen Sie ein anderes Gerät.',
  alreadyThere: 'Dieses Gerät hat schon einen Passkey für Ihr Konto. Verwenden Sie ein anderes Gerät oder einen Sicherheitsschlüssel.',
  unsupported: 'Dieser Browser kann keine Passkeys verwenden. Nehmen Sie einen anderen Browser oder geben Sie einen Code ein.',
  failed: (code) => `Etwas ist schiefgegangen (${code}). Versuchen Sie es erneut.`,
  resetAction: (name) => `Passkeys von ${name} zurücksetzen`,
  resetHeading: (name) => `Passkeys von ${name} zurücksetzen?`,
  resetHint: (name) =>
    `Alle Passkeys von ${name} werden entfernt. Bei der nächsten Anmeldung nutzt die Person einen Code aus ihrer Authenticator-App, wo diese Website Codes annimmt, und kann wieder einen Passkey hinzufügen. Bestätigen Sie mit Ihrem eigenen Passkey.`,
  resetConfirm: 'Mit meinem Passkey bestätigen',
  resetDone: (name) => `Die Passkeys von ${name} wurden zurückgesetzt.`,
  resetNeedsOwn: 'Fügen Sie zuerst einen eigenen Passkey hinzu: Das Zurücksetzen fremder Passkeys wird mit Ihrem bestätigt.',
};

const es: PasskeyText = {
  stepHeading: 'Confirme que es usted con su llave de acceso',
  stepHint:
    'Use la llave de acceso que añadió a esta cuenta: su dispositivo puede pedirle la huella, la cara o el bloqueo de pantalla. No hay que escribir ningún código.',
  usePasskey: 'Usar una llave de acceso',
  passwordless: 'Iniciar sesión con una llave de acceso',
  passwordlessHint: 'Sin contraseña que escribir: su dispositivo confirma que es usted con la huella, la cara o el bloqueo de pantalla.',
  passwordlessRefused:
    'Esa llave de acceso no es de ninguna cuenta de aquí o no se pudo comprobar. Use una llave que añadió aquí, o inicie sesión con su usuario y contraseña.',
  orCode: 'O escriba abajo un código de su aplicación de autenticación.',
  managerHeading: 'Sus llaves de acceso',
  open: 'Llaves de acceso',
  close: 'Cerrar',
  none: 'Aún no tiene llaves de acceso.',
  enrolHint:
    'Añada una llave de acceso: la próxima vez que inicie sesión, su dispositivo confirmará que es usted después de la contraseña, sin códigos. Puede añadir una por cada dispositivo.',
  nameLabel: 'Nombre de la nueva llave de acceso',
  nameHint: 'Por ejemplo, el dispositivo donde está: «Portátil del trabajo». Puede cambiarlo después.',
  defaultName: 'Mi llave de acceso',
  add: 'Añadir una llave de acceso',
  added: (name) => `Llave de acceso «${name}» añadida.`,
  created: (date) => `Añadida el ${date}`,
  lastUsed: (date) => `Último uso el ${date}`,
  neverUsed: 'Aún sin usar',
  rename: (name) => `Cambiar el nombre de ${name}`,
  renameLabel: (name) => `Nuevo nombre para ${name}`,
  save: 'Guardar nombre',
  cancel: 'Cancelar',
  renamed: (name) => `Llave de acceso renombrada a «${name}».`,
  remove: (name) => `Quitar ${name}`,
  removed: (name) => `Llave de acceso «${name}» quitada.`,
  problem: 'Hay un problema',
  enterName: 'Escriba un nombre para la llave de acceso, de hasta 60 caracteres.',
  refused: 'Esa llave de acceso no es de esta cuenta o no se pudo comprobar. Use una llave que añadió aquí, o escriba un código.',
  cloned: 'Esta llave de acceso parece copiada: su contador retrocedió. Inicie sesión de otro modo, quítela y avise a un administrador.',
  expired: 'La solicitud de la llave de acceso caducó o ya se usó. Vuelva a intentarlo.',
  lastRequired: 'Es su única llave de acceso y necesita una para iniciar sesión. Añada otra primero y luego quite esta.',
  cancelled:
    'No se usó la llave de acceso: se canceló, caducó o este dispositivo no tiene una llave para esta cuenta. Vuelva a intentarlo o use otro dispositivo.',
  alreadyThere: 'Este dispositivo ya tiene una llave de acceso para su cuenta. Use otro dispositivo o llave de seguridad.',
  unsupported: 'Este navegador no puede usar llaves de acceso. Use otro navegador, o escriba un código.',
  failed: (code) => `Algo salió mal (${code}). Vuelva a intentarlo.`,
  resetAction: (name) => `Restablecer las llaves de acceso de ${name}`,
  resetHeading: (name) => `¿Restablecer las llaves de acceso de ${name}?`,
  resetHint: (name) =>
    `Se quitan todas las llaves de acceso de ${name}. En su próximo inicio de sesión usará un código de su aplicación de autenticación, si este sitio admite códigos, y podrá añadir una llave de nuevo. Confirme con su propia llave de acceso.`,
  resetConfirm: 'Confirmar con mi llave de acceso',
  resetDone: (name) => `Se restablecieron las llaves de acceso de ${name}.`,
  resetNeedsOwn: 'Añada primero una llave de acceso propia: restablecer las de otro operador se confirma con la suya.',
};

const fr: PasskeyText = {
  stepHeading: 'Confirmez votre identité avec votre clé d’accès',
  stepHint:
    'Utilisez la clé d’accès ajoutée à ce compte : votre appareil peut demander votre empreinte, votre visage ou le verrouillage de l’écran. Aucun code à saisir.',
  usePasskey: 'Utiliser une clé d’accès',
  passwordless: 'Se connecter avec une clé d’accès',
  passwordlessHint:
    'Aucun mot de passe à saisir : votre appareil confirme votre identité avec votre empreinte, votre visage ou le verrouillage de l’écran.',
  passwordlessRefused:
    'Cette clé d’accès n’est liée à aucun compte ici ou n’a pas pu être vérifiée. Utilisez une clé ajoutée ici, ou connectez-vous avec votre identifiant et votre mot de passe.',
  orCode: 'Ou saisissez ci-dessous un code de votre application d’authentification.',
  managerHeading: 'Vos clés d’accès',
  open: 'Clés d’accès',
  close: 'Fermer',
  none: 'Vous n’avez pas encore de clé d’accès.',
  enrolHint:
    'Ajoutez une clé d’accès : à la prochaine connexion, votre appareil confirmera votre identité après le mot de passe, sans code à saisir. Vous pouvez en ajouter une par appareil.',
  nameLabel: 'Nom de la nouvelle clé d’accès',
  nameHint: 'Par exemple l’appareil qui la porte : « Portable du bureau ». Vous pourrez le modifier.',
  defaultName: 'Ma clé d’accès',
  add: 'Ajouter une clé d’accès',
  added: (name) => `Clé d’accès « ${name} » ajoutée.`,
  created: (date) => `Ajoutée le ${date}`,
  lastUsed: (date) => `Dernière utilisation le ${date}`,
  neverUsed: 'Pas encore utilisée',
  rename: (name) => `Renommer ${name}`,
  renameLabel: (name) => `Nouveau nom pour ${name}`,
  save: 'Enregistrer le nom',
  cancel: 'Annuler',
  renamed: (name) => `Clé d’accès renommée en « ${name} ».`,
  remove: (name) => `Retirer ${name}`,
  removed: (name) => `Clé d’accès « ${name} » retirée.`,
  problem: 'Il y a un problème',
  enterName: 'Saisissez un nom pour la clé d’accès, 60 caractères au plus.',
  refused: 'Cette clé d’accès n’est pas liée à ce compte ou n’a pas pu être vérifiée. Utilisez une clé ajoutée ici, ou saisissez un code.',
  cloned: 'Cette clé d’accès semble copiée : son compteur a reculé. Connectez-vous autrement, retirez-la et prévenez un administrateur.',
  expired: 'La demande de clé d’accès a expiré ou a déjà servi. Réessayez.',
  lastRequired: 'C’est votre seule clé d’accès et il vous en faut une pour vous connecter. Ajoutez-en une autre, puis retirez celle-ci.',
  cancelled:
    'La clé d’accès n’a pas été utilisée : annulation, délai dépassé, ou cet appareil n’a pas de clé pour ce compte. Réessayez ou utilisez un autre appareil.',
  alreadyThere: 'Cet appareil a déjà une clé d’accès pour votre compte. Utilisez un autre appareil ou une clé de sécurité.',
  unsupported: 'Ce navigateur ne peut pas utiliser de clés d’accès. Utilisez un autre navigateur, ou saisissez un code.',
  failed: (code) => `Une erreur s’est produite (${code}). Réessayez.`,
  resetAction: (name) => `Réinitialiser les clés d’accès de ${name}`,
  resetHeading: (name) => `Réinitialiser les clés d’accès de ${name} ?`,
  resetHint: (name) =>
    `Toutes les clés d’accès de ${name} sont retirées. À sa prochaine connexion, cette personne utilisera un code de son application d’authentification si ce site accepte les codes, et pourra ajouter une clé à nouveau. Confirmez avec votre propre clé d’accès.`,
  resetConfirm: 'Confirmer avec ma clé d’accès',
  resetDone: (name) => `Les clés d’accès de ${name} ont été réinitialisées.`,
  resetNeedsOwn: 'Ajoutez d’abord votre propre clé d’accès : réinitialiser celles d’un autre opérateur se confirme avec la vôtre.',
};

const ar: PasskeyText = {
  stepHeading: 'أكّد هويتك بمفتاح المرور',
  stepHint: 'استخدم مفتاح المرور الذي أضفته لهذا الحساب: قد يطلب جهازك بصمتك أو وجهك أو قفل الشاشة. لا حاجة لكتابة أي رمز.',
  usePasskey: 'استخدام مفتاح مرور',
  passwordless: 'تسجيل الدخول بمفتاح مرور',
  passwordlessHint: 'لا حاجة لكتابة كلمة مرور: يؤكد جهازك هويتك ببصمتك أو وجهك أو قفل الشاشة.',
  passwordlessRefused:
    'مفتاح المرور هذا ليس لأي حساب هنا أو تعذّر التحقق منه. استخدم مفتاحًا أضفته هنا، أو سجّل الدخول باسم المستخدم وكلمة المرور.',
  orCode: 'أو أدخل أدناه رمزًا من تطبيق المصادقة.',
  managerHeading: 'مفاتيح المرور الخاصة بك',
  open: 'مفاتيح المرور',
  close: 'إغلاق',
  none: 'ليس لديك أي مفتاح مرور بعد.',
  enrolHint:
    'أضف مفتاح مرور: في المرة القادمة التي تسجّل فيها الدخول، يؤكد جهازك هويتك بعد كلمة المرور دون كتابة أي رمز. يمكنك إضافة مفتاح لكل جهاز تستخدمه.',
  nameLabel: 'اسم مفتاح المرور الجديد',
  nameHint: 'مثلًا الجهاز الذي يحمله: «حاسوب العمل». يمكنك تغييره لاحقًا.',
  defaultName: 'مفتاح المرور الخاص بي',
  add: 'إضافة مفتاح مرور',
  added: (name) => `أُضيف مفتاح المرور «${name}».`,
  created: (date) => `أُضيف في ${date}`,
  lastUsed: (date) => `آخر استخدام في ${date}`,
  neverUsed: 'لم يُستخدم بعد',
  rename: (name) => `إعادة تسمية ${name}`,
  renameLabel: (name) => `الاسم الجديد لـ ${name}`,
  save: 'حفظ الاسم',
  cancel: 'إلغاء',
  renamed: (name) => `أُعيدت تسمية مفتاح المرور إلى «${name}».`,
  remove: (name) => `إزالة ${name}`,
  removed: (name) => `أُزيل مفتاح المرور «${name}».`,
  problem: 'هناك مشكلة',
  enterName: 'أدخل اسمًا لمفتاح المرور، بحد أقصى 60 حرفًا.',
  refused: 'مفتاح المرور هذا ليس من مفاتيح هذا الحساب أو تعذّر التحقق منه. استخدم مفتاحًا أضفته هنا، أو أدخل رمزًا.',
  cloned: 'يبدو أن مفتاح المرور هذا منسوخ: عدّاده رجع إلى الوراء. سجّل الدخول بطريقة أخرى وأزِله وأبلغ المسؤول.',
  expired: 'انتهت مهلة طلب مفتاح المرور أو سبق استخدامه. حاول مرة أخرى.',
  lastRequired: 'هذا مفتاح المرور الوحيد لديك وتحتاج إلى واحد لتسجيل الدخول. أضف مفتاحًا آخر أولًا ثم أزِل هذا.',
  cancelled: 'لم يُستخدم مفتاح المرور: أُلغي أو انتهت مهلته أو ليس على هذا الجهاز مفتاح لهذا الحساب. حاول مرة أخرى أو استخدم جهازًا آخر.',
  alreadyThere: 'لهذا الجهاز مفتاح مرور لحسابك بالفعل. استخدم جهازًا آخر أو مفتاح أمان.',
  unsupported: 'لا يستطيع هذا المتصفح استخدام مفاتيح المرور. استخدم متصفحًا آخر، أو أدخل رمزًا.',
  failed: (code) => `حدث خطأ (${code}). حاول مرة أخرى.`,
  resetAction: (name) => `إعادة تعيين مفاتيح مرور ${name}`,
  resetHeading: (name) => `هل تريد إعادة تعيين مفاتيح مرور ${name}؟`,
  resetHint: (name) =>
    `ستُزال كل مفاتيح مرور ${name}. في تسجيل الدخول التالي يستخدم رمزًا من تطبيق المصادقة إن كان هذا الموقع يقبل الرموز، ويمكنه إضافة مفتاح مرور من جديد. أكّد بمفتاح المرور الخاص بك.`,
  resetConfirm: 'التأكيد بمفتاح المرور الخاص بي',
  resetDone: (name) => `أُعيد تعيين مفاتيح مرور ${name}.`,
  resetNeedsOwn: 'أضف مفتاح مرور خاصًا بك أولًا: إعادة تعيين مفاتيح مشغّل آخر تتطلب التأكيد بمفتاحك.',
};

const TEXTS: Record<string, PasskeyText> = { en, ar, de, es, fr };

/** The language of the passkey screens: `?lang=` if it is one of the five, else the page's, else English. */
export function passkeyLocale(): string {
  const asked = new URLSearchParams(location.search).get('lang') ?? document.documentElement.lang;
  const primary = asked.toLowerCase().split('-')[0] ?? 'en';
  return primary in TEXTS ? primary : 'en';
}

/** The words of the passkey screens in `locale`. */
export function passkeyText(locale = passkeyLocale()): PasskeyText {
  return TEXTS[locale] ?? en;
}

/** A date as the locale writes it. */
export function passkeyDate(iso: string, locale = passkeyLocale()): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
